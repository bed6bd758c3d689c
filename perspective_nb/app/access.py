"""Who may use the standalone app: the ``Host`` header check and the optional token.

*DNS rebinding*: a page on ``evil.example`` whose name the attacker then
points at 127.0.0.1 reaches a server on the visitor's machine as a
same-origin page, sending ``Host: evil.example``. Answering only requests
whose ``Host`` is a name the server is known by (``localhost``, the names
given with ``allowed_hosts``) closes that hole, as Jupyter does. An IP
address in ``Host`` is always accepted: rebinding needs a name the attacker
controls, so a literal address means the page really came from this server.

*Token*: when set, every request except the public package and static files
must carry it, as ``?token=...`` or an ``Authorization: token ...``
header (the page passes it on to its websocket), so that a server reachable
by others serves its tables only to who holds the token.

Imports tornado only; nothing from the server or jupyter layers.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import tornado.httputil
import tornado.web

__all__ = ["LOCAL_HOSTS", "Access", "GuardedApplication"]

#: Host names accepted without being listed (IP addresses always are).
LOCAL_HOSTS = frozenset({"localhost"})


def host_name(host: str) -> str:
    """The name part of a ``Host`` header value, lowercase, without port or brackets."""
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8080
        return host[1 : host.find("]")] if "]" in host else host[1:]
    if host.count(":") == 1:  # name:port (a bare IPv6 address has several colons)
        host = host.split(":", 1)[0]
    return host.rstrip(".")


@dataclass(frozen=True)
class Access:
    """The app's access rules.

    Parameters
    ----------
    allowed_hosts : frozenset of str
        Host names accepted besides ``localhost`` and IP addresses; ``"*"``
        accepts any (behind a proxy that checks it).
    token : str or None
        The secret every non-static request must carry; None: no token.
    public_prefixes : tuple of str
        Paths served without the token (npm package and static files).
    """

    allowed_hosts: frozenset[str] = frozenset()
    token: str | None = None
    public_prefixes: tuple[str, ...] = ()

    @classmethod
    def build(
        cls, allowed_hosts: Iterable[str] | None, token: str | None, public: Iterable[str]
    ) -> Access:
        """Normalise the names given by the caller (``--allow-host`` values, say)."""
        if token is not None and not token.strip():
            raise ValueError("the token must not be empty; omit it to serve without one")
        names = frozenset(host_name(h) if h != "*" else "*" for h in allowed_hosts or ())
        return cls(names, token, tuple(public))

    def host_allowed(self, host: str) -> bool:
        """Whether a request with this ``Host`` header may be answered."""
        name = host_name(host)
        if "*" in self.allowed_hosts or name in LOCAL_HOSTS or name in self.allowed_hosts:
            return True
        try:
            ipaddress.ip_address(name)
        except ValueError:
            return False
        return True

    def given_token(self, request: tornado.httputil.HTTPServerRequest) -> str | None:
        """The token a request carries (``?token=`` or an ``Authorization`` header)."""
        values = request.query_arguments.get("token")
        if values:
            return values[-1].decode("utf-8", "replace")
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer") and value.strip():
            return value.strip()
        return None

    def refusal(self, request: tornado.httputil.HTTPServerRequest) -> tuple[int, str] | None:
        """``(status, explanation)`` when the request must be refused, else None."""
        if not self.host_allowed(request.host):
            return (
                403,
                f"Host {request.host!r} is not one this server answers to (a guard against "
                "DNS rebinding). Open it as localhost or by IP address, or start it with "
                f"--allow-host {host_name(request.host)} (make_app(allowed_hosts=[...])).",
            )
        if self.token is None or request.path.startswith(self.public_prefixes):
            return None
        given = self.given_token(request)
        if given is None or not hmac.compare_digest(given.encode(), self.token.encode()):
            return (
                403,
                "This server needs its token: open the URL it printed (with ?token=...), "
                "or send the header 'Authorization: token <token>'.",
            )
        return None


class _RefusedHandler(tornado.web.RequestHandler):
    def initialize(self, status: int, message: str) -> None:
        self._status, self._message = status, message

    def prepare(self) -> None:
        self.set_status(self._status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(self._message + "\n")


class GuardedApplication(tornado.web.Application):
    """A tornado Application that applies the ``perspective_access`` setting to every route.

    Checking here rather than in each handler also covers a websocket
    handler class supplied by the caller.
    """

    def find_handler(
        self, request: tornado.httputil.HTTPServerRequest, **kwargs: Any
    ) -> tornado.web._HandlerDelegate:
        access: Access | None = self.settings.get("perspective_access")
        refusal = access.refusal(request) if access is not None else None
        if refusal is not None:
            status, message = refusal
            return self.get_handler_delegate(
                request, _RefusedHandler, {"status": status, "message": message}
            )
        return super().find_handler(request, **kwargs)
