"""Problems found in content: values, so that a user sees all of them at once."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a file and line (1-based, 0 when unknown)."""

    path: str
    line: int
    severity: str
    code: str
    message: str

    def render(self) -> str:
        """Format as `path:line: severity: message [code]`."""
        return f"{self.path}:{self.line}: {self.severity}: {self.message} [{self.code}]"

    def as_dict(self) -> dict:
        return asdict(self)


def has_errors(problems) -> bool:
    return any(p.severity == ERROR for p in problems)


class WolError(Exception):
    """An error that stops the work; its message is shown to the user as it is."""


class Refused(WolError):
    """A change that is not allowed or not possible; `status` is the HTTP status that fits (the editor's answer)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status
