"""E-mail over SMTP (the standard library's smtplib and email): one connection per run, reused.

Host, port and security come from mkdocs.yml (`wol.notify.smtp`); the user name and password only from
the environment variables it names, never from the repository.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from ..problems import WolError
from ..settings import NotifySettings

TIMEOUT = 30


class SendFailed(Exception):
    """This message was not accepted (the server refused it, or the connection broke): try it next run."""


class Mailer:
    """An open SMTP session: `with Mailer(settings) as mail: mail.send(...)`."""

    def __init__(self, settings: NotifySettings):
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None
        self._down = ""  # why the server cannot be reached: the rest of the run fails fast

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def credentials(self) -> tuple[str, str] | None:
        """The SMTP login from the environment variables the settings name; WolError when one is missing."""
        s = self.settings
        if not s.smtp_user_env:
            return None
        user = os.environ.get(s.smtp_user_env, "")
        password = os.environ.get(s.smtp_password_env, "") if s.smtp_password_env else ""
        if not user or (s.smtp_password_env and not password):
            missing = s.smtp_user_env if not user else s.smtp_password_env
            raise WolError(f"the environment variable {missing} is not set (wol.notify.smtp names it for the "
                           f"SMTP login); set it where wol notify runs (a CI secret)")
        return user, password

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        credentials = self.credentials()
        try:
            if s.smtp_security == "tls":
                smtp = smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=TIMEOUT,
                                        context=ssl.create_default_context())
            else:
                smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=TIMEOUT)
                if s.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if credentials:
                smtp.login(*credentials)
        except smtplib.SMTPAuthenticationError as exc:
            raise SendFailed(f"{s.smtp_host} refused the login in {s.smtp_user_env}/{s.smtp_password_env}: "
                             f"{exc.smtp_code} {_text(exc.smtp_error)}") from None
        except smtplib.SMTPNotSupportedError:
            raise SendFailed(f"{s.smtp_host}:{s.smtp_port} does not offer STARTTLS (set "
                             f"wol.notify.smtp.security: none only for a local test server)") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendFailed(f"cannot reach the SMTP server {s.smtp_host}:{s.smtp_port}: {exc}") from None
        return smtp

    def send(self, to_name: str, to_address: str, subject: str, text: str, html: str, headers=None) -> None:
        """Send one message with a plain-text and an HTML part; SendFailed when it was not accepted."""
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = formataddr((to_name, to_address))
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain=self.settings.smtp_from.rpartition("@")[2].strip(">") or None)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
        for name, value in (headers or {}).items():
            message[name] = value
        message.set_content(text)
        message.add_alternative(html, subtype="html")
        for attempt in (1, 2):  # a connection the server closed meanwhile is opened once more
            if self._down:
                raise SendFailed(self._down)
            if self._smtp is None:
                try:
                    self._smtp = self._connect()
                except SendFailed as exc:
                    self._down = str(exc)
                    raise
            try:
                self._smtp.send_message(message)
                return
            except smtplib.SMTPServerDisconnected as exc:
                self._smtp = None
                if attempt == 2:
                    raise SendFailed(f"the SMTP server closed the connection: {exc}") from None
            except smtplib.SMTPRecipientsRefused as exc:
                code, reason = next(iter(exc.recipients.values()))
                raise SendFailed(f"{to_address} refused: {code} {_text(reason)}") from None
            except smtplib.SMTPResponseException as exc:
                raise SendFailed(f"the SMTP server answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
            except (OSError, smtplib.SMTPException) as exc:
                self.close()
                raise SendFailed(f"sending failed: {exc}") from None

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._smtp = None


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
