"""The HTML report page; the renderer and its template, style and script live in :mod:`.html`."""

from __future__ import annotations

from .html import STATUS_COLOURS, _evidence, render_html, write_html

__all__ = ["STATUS_COLOURS", "_evidence", "render_html", "write_html"]
