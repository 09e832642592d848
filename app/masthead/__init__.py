"""Masthead: a front-matter editor for Markdown archives that never damages a file."""

__version__ = "0.1.0"
