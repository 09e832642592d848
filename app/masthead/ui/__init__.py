"""Masthead's Qt interface: thin models and views over the core; no YAML, no file access of its own."""
