"""HTML helpers. Every piece of user text goes through :func:`esc` before it meets HTML."""

from __future__ import annotations

import html
from functools import lru_cache
from importlib.resources import files

import mistune


def esc(text: object) -> str:
    """Escape ``text`` for HTML element content and attribute values."""
    return html.escape(str(text), quote=True)


def content_for(name: str, flagged: bool) -> str:
    """Render ``name``, or its ``_private`` variant for a partner the kit must not push
    towards joint work (their private safety check raised a red flag), if there is one."""
    private = files("trust_widgets") / "content" / f"{name}_private.md"
    return content(f"{name}_private" if flagged and private.is_file() else name)


@lru_cache(maxsize=32)
def content(name: str) -> str:
    """Render ``trust_widgets/content/<name>.md`` (our own words, not user text) to HTML."""
    source = (files("trust_widgets") / "content" / f"{name}.md").read_text(encoding="utf-8")
    # escape=True: even our own Markdown may not smuggle raw HTML into a page.
    return mistune.create_markdown(escape=True)(source)
