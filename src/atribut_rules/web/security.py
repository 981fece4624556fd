"""What keeps the page safe on a shared office machine: a session cookie, a CSRF token bound
to it, an optional password (HTTP Basic, compared in constant time), strict response headers.

The session is a random value in an ``HttpOnly``, ``SameSite=Strict`` cookie; the CSRF token
is an HMAC of it under a key made when the server starts, so it cannot be guessed from the
cookie and dies with the server. Every POST must carry the token (form field ``csrf`` or
header ``X-CSRF-Token``) and, when the browser sends them, an ``Origin`` of this server and
no cross-site ``Sec-Fetch-Site``. A job belongs to the session that made it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import ipaddress
import secrets
from typing import Any

SESSION_COOKIE = "atribut_session"
LANG_COOKIE = "atribut_lang"

PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
"""The policy of the app's own pages: scripts and styles only from its static files."""

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Guard:
    """Sessions, CSRF tokens and the password of one server."""

    def __init__(self, password: str | None = None) -> None:
        self._key = secrets.token_bytes(32)
        self._password = hashlib.sha256(password.encode("utf-8")).digest() if password else None

    @staticmethod
    def new_session() -> str:
        return secrets.token_urlsafe(24)

    def csrf_token(self, session: str) -> str:
        return hmac.new(self._key, session.encode("ascii", "replace"), hashlib.sha256).hexdigest()

    def token_ok(self, session: str | None, token: str | None) -> bool:
        if not session or not token:
            return False
        return hmac.compare_digest(self.csrf_token(session), token)

    @property
    def has_password(self) -> bool:
        return self._password is not None

    def password_ok(self, authorization: str | None) -> bool:
        """Whether an ``Authorization: Basic`` header carries the password (any user name)."""
        if self._password is None:
            return True
        scheme, _, value = (authorization or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return False
        _, _, given = decoded.partition(":")
        return hmac.compare_digest(hashlib.sha256(given.encode("utf-8")).digest(), self._password)


def same_origin(headers: Any, scheme: str, host: str) -> bool:
    """False when the browser says the request comes from another site."""
    if headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = headers.get("origin")
    return origin is None or origin == f"{scheme}://{host}"


def is_loopback(host: str) -> bool:
    """Whether ``host`` can be reached only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
