"""The front-matter form (``FormPane``) and its parts: editors, the conflict bar, the YAML view."""

from masthead.ui.form.pane import FormPane
from masthead.ui.writer import POOL as WRITER  # the application's writer pool (kept for older callers)

__all__ = ["WRITER", "FormPane"]
