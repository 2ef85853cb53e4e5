"""Who is acting, and the token that proves a write came from the editor's own pages.

Identity: behind a single sign-on proxy (`--identity-header NAME`) the handle
is the value of that header, which the proxy sets after login and strips from
what clients send. On a laptop (no header configured) it is the person whose
profile `email` is the repository's Git `user.email`.

CSRF: a write must be `Content-Type: application/json` and carry
`X-CSRF-Token`, an HMAC of the handle under a secret made when the server
starts. A page on another site can make the browser send a form or a simple
request (with the SSO proxy's cookie, so the proxy would vouch for it), but it
can neither set a custom header nor a JSON content type without a CORS
preflight, which this server never grants, nor read /api/session to learn the
token. Tokens die with the server process; pages fetch a fresh one.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from ..commit import no_git_user, person_by_email
from ..content.forgotten import hash_handle
from ..problems import Refused
from ..derive.graph import Graph
from ..engines import gitrepo


class NoProfile(Refused):
    """The acting person has no profile yet (the editor offers to create one): on a laptop the Git
    user, behind single sign-on the signed-in `handle`."""

    def __init__(self, message: str, handle: str = ""):
        super().__init__(message, 403)
        self.handle = handle


def forgotten_message(handle: str) -> str:
    return (f"the handle `{handle}` belonged to someone who asked to be forgotten, so it cannot be used again; "
            f"ask an administrator")


@dataclass(frozen=True)
class Who:
    """How to find the acting person for a request."""

    header: str = ""  # the SSO proxy's header; empty on a laptop
    root: str = ""  # the repository, for its Git user.email
    name_header: str = ""  # the proxy's headers with the person's name and e-mail (a first profile's prefill)
    email_header: str = ""

    def offered(self, headers) -> tuple[str, str]:
        """(name, e-mail) the SSO proxy says the signed-in person has, for a first profile; '' where unknown."""
        def value(name: str) -> str:
            return " ".join((headers.get(name) or "").split())[:200] if self.header and name else ""
        email = value(self.email_header)
        return value(self.name_header), email if "@" in email and " " not in email else ""

    def git_email(self) -> str:
        user = gitrepo.git_user(self.root)
        return user.email if user else ""

    def handle_in(self, headers) -> str | None:
        """The claimed handle (header mode) before it is checked against the people."""
        if not self.header:
            return None
        value = (headers.get(self.header) or "").strip().lower().lstrip("@")
        return value or None

    def principal(self, headers) -> str:
        """What a CSRF token is bound to: the header's handle, or the Git email; Refused 401 if none."""
        if self.header:
            handle = self.handle_in(headers)
            if handle is None:
                raise Refused(f"you are not signed in: the `{self.header}` header is missing "
                              f"(the single sign-on proxy sets it)", 401)
            return handle
        email = self.git_email()
        if not email:
            raise Refused(f"{no_git_user()} in the repository and reload", 401)
        return "git:" + email.lower()

    def find(self, headers, graph: Graph) -> str:
        """The acting person's handle; Refused 401 (nobody), 403 (unknown or departed)."""
        if self.header:
            handle = self.handle_in(headers)
            if handle is None:
                raise Refused(f"you are not signed in: the `{self.header}` header is missing "
                              f"(the single sign-on proxy sets it)", 401)
            person = graph.people.get(handle)
            if person is None:
                if hash_handle(handle) in graph.forgotten:
                    raise Refused(forgotten_message(handle), 403)
                raise NoProfile(f"`{handle}` has no profile here yet: create yours in the editor, at /edit/", handle)
        else:
            email = self.git_email()
            if not email:
                raise Refused(f"{no_git_user()} in the repository and reload", 401)
            handle = person_by_email(graph, email)
            if handle is None:
                raise NoProfile(f"no profile has the email {email} (your Git user.email) yet: "
                                f"create yours in the editor, at /edit/")
            person = graph.people[handle]
        if person.has_left:
            raise Refused(f"@{handle} has left the company (since {person.left}), so cannot write here", 403)
        return handle


def is_local_host(host: str, also: str = "") -> bool:
    """Whether a request's Host names this machine directly: an IP address, `localhost`, or `also`.

    On a laptop (no SSO proxy in front) any other name may be a DNS-rebinding
    attack: a web page whose domain is made to point at 127.0.0.1 would
    otherwise read the wiki and the CSRF token as if it were the same origin.
    """
    if host.startswith("["):  # [::1]:8000
        name = host[1:].split("]", 1)[0]
    else:
        name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    name = name.lower().rstrip(".")
    if name in ("localhost", also.lower()) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


class Csrf:
    """Tokens bound to a handle, valid for the life of this server process."""

    def __init__(self, secret: bytes | None = None):
        self._secret = secret or secrets.token_bytes(32)

    def token(self, handle: str) -> str:
        return hmac.new(self._secret, handle.encode("utf-8"), hashlib.sha256).hexdigest()

    def verify(self, handle: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(self.token(handle), token)
