"""Masthead's core: documents, saving, archive, schema and operations. Pure Python, no Qt."""
