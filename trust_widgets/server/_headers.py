"""The security headers on every response, and the page's Content-Security-Policy.

- ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``: no other site can frame a kit
  page (clickjacking), and nothing in the kit frames one.
- ``script-src``: scripts come only from this server (``'self'``) or carry the page's
  nonce. Voilà writes a few small inline scripts into every page (the loading text, the
  final reveal, a heartbeat); the page handler gives each the nonce of its response as it
  writes the page (:func:`with_nonce`), also for a page rendered ahead in a preheated
  kernel. Nothing a user wrote is ever raw HTML in a page (outputs travel as JSON, with
  ``<`` escaped), so only the template's own tags get a nonce. No ``'unsafe-inline'`` and
  no ``'unsafe-eval'``.
- ``style-src 'self' 'unsafe-inline'``: widgets set inline styles, and JupyterLab's theme
  writes ``<style>`` elements; a style cannot run code.
- ``connect-src 'self'``: the kernel's websocket and the kit's own routes only.
- ``default-src 'self'``, ``object-src 'none'``, ``base-uri 'none'``, ``form-action 'self'``.
"""

from __future__ import annotations

import re
import secrets

_SCRIPT = re.compile(r"<script(?![^>]*\bnonce=)", re.IGNORECASE)

_BASE = (
    "default-src 'self'",
    "img-src 'self' data: blob:",  # Plotly draws some marks as blob: images
    "font-src 'self' data:",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
)


def new_nonce() -> str:
    """Return a fresh nonce for one page response."""
    return secrets.token_urlsafe(16)


def content_security_policy(nonce: str | None = None) -> str:
    """Return the policy; with ``nonce``, inline scripts that carry it may run."""
    script = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join((*_BASE, script))


def security_headers(nonce: str | None = None) -> dict[str, str]:
    """Return the headers every response of the kit carries."""
    return {
        "Content-Security-Policy": content_security_policy(nonce),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
    }


def apply(handler, nonce: str | None = None) -> None:
    """Set the security headers on a Tornado handler's response."""
    for name, value in security_headers(nonce).items():
        handler.set_header(name, value)


def with_nonce(html: str, nonce: str) -> str:
    """Give every ``<script>`` tag in a chunk of the page's own HTML the response's nonce."""
    return _SCRIPT.sub(f'<script nonce="{nonce}"', html)
