"""A knowledge base for notification tests, a real SMTP server (aiosmtpd) and a real webhook receiver."""

from __future__ import annotations

import email
import email.policy
import json
import socket
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

from knowledge_base import doc, git, person, write_kb

NOW = datetime(2026, 4, 1, 9, 0, tzinfo=timezone.utc)

PEOPLE = {  # handle: (name, team, extra front matter)
    "alice": ("Alice Martin", "platform", ""),
    "bob": ("Bob Okafor", "data", ""),
    "carol": ("Carol Diaz", "data", ""),
    "dan": ("Dan Brook", "data", ""),
    "erin": ("Erin Wolf", "data", ""),
    "vera": ("Vera Lund", "sales", "expertise: [kafka]\n"),  # declares #kafka, writes a lot on it; no votes
    "quinn": ("Quinn Roux", "data", "left: 2026-02-01\n"),  # the most expertise on #kafka, but has left
}


def base_files(people_extra: dict | None = None) -> dict[str, str]:
    """Earned #kafka expertise: quinn 4 (left), carol 3, dan 1, erin 1, vera 0 with ten posts; bob facilitates."""
    extra = {h: e for h, (_, _, e) in PEOPLE.items()} | (people_extra or {})
    files = {f"people/{h}.md": person(n, t, h, extra.get(h, "")) for h, (n, t, _) in PEOPLE.items()}
    files.update({
        "topics/kafka.md": "---\ntitle: Kafka\nfacilitators: [bob]\n---\nThe event backbone.\n",
        "posts/carol-kafka.md": doc("Tuning Kafka consumers", "carol", "2026-03-01", "Set max.poll. #kafka"),
        "posts/dan-kafka.md": doc("Kafka on call", "dan", "2026-03-02", "Page the on-call. #kafka"),
        "posts/erin-kafka.md": doc("Kafka retention", "erin", "2026-03-03", "Seven days. #kafka"),
        "posts/quinn-kafka.md": doc("Kafka internals", "quinn", "2026-01-03", "Segments. #kafka"),
        "posts/carol-python.md": doc("Python packaging", "carol", "2026-03-04", "Use uv. #python"),
        "votes/alice.txt": "posts/carol-kafka\nposts/dan-kafka\nposts/quinn-kafka\n",
        "votes/bob.txt": "posts/carol-kafka\nposts/erin-kafka\nposts/quinn-kafka\n",
        "votes/dan.txt": "posts/carol-kafka\nposts/quinn-kafka\n",
        "votes/erin.txt": "posts/quinn-kafka\n",
    })
    for i in range(10):
        files[f"posts/vera-{i}.md"] = doc(f"Kafka thoughts {i}", "vera", f"2026-03-1{i}", "More on #kafka.")
    return files


def notify_yml(smtp_port: int | None, extra: str = "") -> str:
    smtp = (f"    smtp:\n      host: 127.0.0.1\n      port: {smtp_port}\n      security: none\n"
            f"      from: wiki@test.example\n") if smtp_port else ""
    return f"  notify:\n    experts: 2\n    escalate_experts: 2\n{smtp}{extra}"


def make_kb(root: Path, smtp_port: int | None, files: dict | None = None, yml_extra: str = "",
            people_extra: dict | None = None) -> Path:
    """The knowledge base in Git, with wol.notify set (experts: 2), and the first run's record made."""
    write_kb(root, {**base_files(people_extra), **(files or {})}, people={})
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as f:
        f.write(notify_yml(smtp_port, yml_extra))
    git(root, "commit", "-qam", "notify settings", "--no-verify")
    return root


def commit_files(root: Path, files: dict[str, str], message: str = "change") -> None:
    for rel, text in files.items():
        path = root / "content" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", message, "--no-verify")


def question(slug: str, author: str = "alice", tags: str = "[kafka]", body: str = "Why does it lag?",
             date: str = "2026-04-01T08:00:00Z") -> dict[str, str]:
    return {f"questions/{slug}/index.md": doc(f"Question {slug}", author, date, body, extra=f"tags: {tags}\n")}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailBox:
    """aiosmtpd's handler: keeps each accepted message; refuses recipients in `refuse` with 451."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.refuse: set[str] = set()
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "451 4.3.0 Mailbox temporarily unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        """The handles the messages went to (the local part of To:), sorted."""
        return sorted(str(m["To"].addresses[0].username) for m in self.messages)

    def of(self, handle: str) -> list:
        return [m for m in self.messages if m["To"].addresses[0].username == handle]

    def clear(self) -> None:
        self.messages.clear()


class SmtpServer:
    def __init__(self):
        self.box = MailBox()
        self.port = free_port()
        self.controller = None

    def start(self) -> None:
        """Listen (again) on the same port."""
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class Webhooks:
    """A real HTTP receiver: keeps (path, JSON body) of each POST; answers `status`."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        self.status = 200
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if hooks.status == 200:
                    hooks.posts.append((self.path, json.loads(body)))
                self.send_response(hooks.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with the openssl command."""
    import subprocess
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class StartTlsSmtpServer(SmtpServer):
    """An SMTP server that requires STARTTLS, then a login (`user` / `password`) before it takes mail."""

    def __init__(self, cert: Path, key: Path, user: str, password: str):
        super().__init__()
        self.cert, self.key, self.user, self.password = cert, key, user, password
        self.logins: list[str] = []

    def start(self) -> None:
        import ssl
        from aiosmtpd.smtp import AuthResult

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login.decode() == self.user and auth_data.password.decode() == self.password
            if ok:
                self.logins.append(auth_data.login.decode())
            return AuthResult(success=ok)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert), str(self.key))
        self.controller = Controller(self.box, hostname="127.0.0.1", port=self.port, tls_context=context,
                                     require_starttls=True, authenticator=authenticate, auth_required=True)
        self.controller.start()
