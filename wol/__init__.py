"""wol: work out loud — a Git-backed knowledge wiki published as a static site."""

__version__ = "0.1.0"
