"""A web server's access log (common or combined log format) → reads per document.

Lines are parsed by apachelogs, a maintained parser of Apache's log formats;
nginx's default `combined` format is the same. A read is a GET answered 200
or 304 for a document's page (`/posts/…/slug/`, `…/slug/index.html` or
`…/slug`), under the site's base path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote, urlsplit

import apachelogs

from ..content.document import ANSWER
from ..problems import WARNING, Problem

READ_STATUSES = (200, 304)
_PARSERS = (apachelogs.LogParser(apachelogs.COMBINED), apachelogs.LogParser(apachelogs.COMMON))


@dataclass(frozen=True)
class Hit:
    """One request from the log."""

    when: datetime
    method: str
    path: str
    status: int


def parse_access_log(lines, source: str = "access log") -> tuple[list[Hit], list[Problem]]:
    """Parse log lines; a line in neither format is reported (as a Problem), never fatal."""
    hits, problems = [], []
    for number, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        hit = parse_line(line)
        if hit is None:
            problems.append(Problem(source, number, WARNING, "log-line",
                                    "is not in common or combined log format; it is ignored"))
        else:
            hits.append(hit)
    return hits, problems


def parse_line(line: str) -> Hit | None:
    """One line in combined or common log format → Hit, or None."""
    for parser in _PARSERS:
        try:
            entry = parser.parse(line)
        except apachelogs.InvalidEntryError:
            continue
        parts = (entry.request_line or "").split()
        if len(parts) < 2 or entry.final_status is None or entry.request_time is None:
            return None
        return Hit(when=entry.request_time, method=parts[0].upper(), path=parts[1], status=entry.final_status)
    return None


def count_reads(hits, page_urls: dict[str, str], base_path: str = "/", since: datetime | None = None) -> dict[str, int]:
    """Reads per document id; page_urls maps a site-relative URL (`posts/x/`) to the id of its page."""
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    reads = {doc_id: 0 for doc_id in page_urls.values()}
    for hit in hits:
        if hit.method != "GET" or hit.status not in READ_STATUSES:
            continue
        if since is not None and hit.when < since:
            continue
        doc_id = page_urls.get(_site_relative(hit.path, base))
        if doc_id is not None:
            reads[doc_id] += 1
    return reads


def page_urls_of(graph) -> dict[str, str]:
    """Site-relative URL → id, for every document with a page of its own (posts and questions)."""
    return {graph.url_of(doc_id): doc_id for doc_id, doc in graph.documents.items() if doc.kind != ANSWER}


def _site_relative(target: str, base: str) -> str:
    path = unquote(urlsplit(target).path)
    if not path.startswith(base):
        return ""
    path = path[len(base):]
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    if path and not path.endswith("/"):
        path += "/"
    return path
