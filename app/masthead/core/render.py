"""Markdown transcript to safe HTML for the preview, with an outline of its headings.

CommonMark plus tables, via markdown-it-py. Raw HTML is escaped except a small allow-list the archives
use (``details``, ``summary``, ``p``, ``br``, ``em``, ``strong``, ``span``, ``sup``, ``sub``, with only a
``class`` attribute); ``<!-- comments -->`` are dropped; ``<details>`` becomes a muted, labelled block.
Links keep markdown-it's safe-scheme check; images are kept only for relative paths inside the archive,
anything else becomes a text placeholder. ``**[Speaker]**:`` turns get a speaker label, bold names that
are known entities get the ``entity`` class, and every heading gets an anchor for the outline.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

ALLOWED_TAGS = {"details", "summary", "p", "br", "em", "strong", "span", "sup", "sub"}
_TAG = re.compile(r"<!--.*?(?:-->|$)|<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s+[^<>]*?)?)\s*(/?)>", re.S)
_CLASS = re.compile(r"""\bclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SAFE_CLASS = re.compile(r"[^\w -]")
_TURN = re.compile(r"<p><strong>\[([^\]<]{1,80})\]</strong>(\s*[:：])")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_REPLACE = {
    "<details>": '<div class="original">',
    "</details>": "</div>",
    "<summary>": '<p class="original-label">',
    "</summary>": "</p>",
}


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass
class Rendered:
    html: str
    outline: list[Heading] = field(default_factory=list)


def _text(segment: str) -> str:
    return html.escape(html.unescape(segment), quote=False)


def sanitize_html(fragment: str) -> str:
    """Keep allow-listed tags (with a sanitized ``class`` only), drop comments, escape everything else."""
    out: list[str] = []
    pos = 0
    for m in _TAG.finditer(fragment):
        out.append(_text(fragment[pos : m.start()]))
        pos = m.end()
        if m.group(0).startswith("<!--"):
            continue
        closing, name, attrs, _ = m.groups()
        tag = name.lower()
        if tag not in ALLOWED_TAGS:
            out.append(html.escape(m.group(0), quote=False))
            continue
        if closing:
            out.append(_REPLACE.get(f"</{tag}>", f"</{tag}>"))
            continue
        if tag in ("details", "summary"):
            out.append(_REPLACE[f"<{tag}>"])
            continue
        cls = _CLASS.search(attrs or "")
        value = next((g for g in cls.groups() if g is not None), "") if cls else ""
        value = _SAFE_CLASS.sub("", value)
        out.append(f'<{tag} class="{value}">' if value else ("<br />" if tag == "br" else f"<{tag}>"))
    out.append(_text(fragment[pos:]))
    return "".join(out)


def _is_local_image(src: str) -> bool:
    if not src or src.startswith(("/", "\\", "//")) or _SCHEME.match(src):
        return False
    depth = 0
    for part in re.split(r"[/\\]", src):
        depth += -1 if part == ".." else (0 if part in ("", ".") else 1)
        if depth < 0:
            return False
    return True


class _Renderer(RendererHTML):
    def __init__(self, parser: Any = None) -> None:
        super().__init__(parser)
        self.headings: list[Heading] = []

    def html_block(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return sanitize_html(tokens[idx].content)

    def html_inline(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        return sanitize_html(tokens[idx].content)

    def image(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        src = str(token.attrGet("src") or "")
        alt = self.renderInlineAsText(token.children or [], options, env)
        if not _is_local_image(src):
            return f'<span class="blocked-image">[image: {html.escape(alt)}]</span>'
        return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}" />'

    def heading_open(self, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType) -> str:
        token = tokens[idx]
        inline = tokens[idx + 1] if idx + 1 < len(tokens) else None
        text = self.renderInlineAsText(inline.children or [], options, env) if inline else ""
        anchor = f"h{len(self.headings) + 1}"
        self.headings.append(Heading(int(token.tag[1:]), text.strip(), anchor))
        return f'<a name="{anchor}"></a>' + self.renderToken(tokens, idx, options, env)


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True}, renderer_cls=_Renderer).enable("table")
    return md


def render_markdown(text: str, entities: Iterable[str] = ()) -> Rendered:
    """HTML of a transcript, and its outline. ``entities``: names to mark when they appear in bold."""
    md = _parser()
    renderer: _Renderer = md.renderer  # type: ignore[assignment]
    body = md.render(text)
    body = _TURN.sub(lambda m: f'<p class="turn"><span class="speaker">{m.group(1)}</span>{m.group(2)}', body)
    names = {html.escape(e, quote=False) for e in entities if e}
    if names:
        pattern = re.compile(
            "<strong>(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + ")</strong>"
        )
        body = pattern.sub(r'<strong class="entity">\1</strong>', body)
    return Rendered(body, list(renderer.headings))


HEAD_CHARS = 30_000  # a transcript longer than twice this is rendered head first
_HEADING_LINE = re.compile(r"\n(?=#{1,6} )")
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)


def split_head(text: str, head: int = HEAD_CHARS) -> tuple[str, str]:
    """A long transcript cut before its first heading after ``head`` characters, so that the head can be
    rendered (and shown) first: ``(text, "")`` when it is short or has no safe place (a heading outside
    any ``<details>`` block or code fence). Rendering both parts gives what rendering the whole gives."""
    if len(text) <= 2 * head:
        return text, ""
    for match in _HEADING_LINE.finditer(text, head):
        first = text[: match.end()]
        if first.count("<details") == first.count("</details>") and len(_FENCE.findall(first)) % 2 == 0:
            return first, text[match.end() :]
    return text, ""


def renumbered(rendered: Rendered, after: int) -> Rendered:
    """``rendered`` (a later part of a transcript) with its heading anchors numbered on from ``after``."""
    if not after or not rendered.outline:
        return rendered
    body = re.sub(r'<a name="h(\d+)"></a>', lambda m: f'<a name="h{int(m.group(1)) + after}"></a>', rendered.html)
    outline = [Heading(h.level, h.text, f"h{int(h.anchor[1:]) + after}") for h in rendered.outline]
    return Rendered(body, outline)
