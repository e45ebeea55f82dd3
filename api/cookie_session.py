"""Flask's signed-cookie session, opened for free when the request carries no session cookie.

Most requests are readers of the board and the feeds, who never get a session cookie;
Flask would still build its HMAC signer for each of them just to find no cookie.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)
