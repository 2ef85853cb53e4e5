"""`wol stats`: the health of the network from the graph, Git history and (optionally) an access log."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..health.access_log import count_reads, page_urls_of, parse_access_log
from ..health.verdict import Health, build_health
from ..knowledge import Knowledge
from ..problems import WolError
from ..settings import Settings


def load_health(settings: Settings, since: datetime | None = None, access_log: Path | None = None,
                now: datetime | None = None, knowledge: Knowledge | None = None) -> Health:
    """Everything `wol stats` shows."""
    knowledge = knowledge or Knowledge(settings)
    graph = knowledge.graph
    reads, problems = None, []
    if access_log is not None:
        try:
            with open(access_log, encoding="utf-8", errors="replace") as lines:
                hits, problems = parse_access_log(lines, str(access_log))
        except OSError as exc:
            raise WolError(f"{access_log}: cannot be read: {exc.strerror}") from None
        base = urlsplit(settings.site_url).path or "/"
        reads = count_reads(hits, page_urls_of(graph), base, since)
    return build_health(graph, knowledge.history(), now=now, since=since, reads=reads, problems=problems)
