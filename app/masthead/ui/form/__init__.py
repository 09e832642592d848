"""The front-matter form (``FormPane``) and its parts: editors, the conflict bar, the YAML view."""

from masthead.ui.form.pane import FormPane

__all__ = ["FormPane"]
