"""Glue for the health figures: read content, Git history and an access log, then call wol/health.

wol/health is pure; this module is where disk and Git are touched (Git only
through wol/repo.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from . import repo as gitrepo
from .content.load import load_content
from .graph import Graph, build_graph
from .health.access_log import count_reads, page_urls_of, parse_access_log
from .health.figures import Figures, build_figures
from .health.history import History, build_history
from .health.quadrant import Verdict, classify, suggest
from .problems import Problem, WolError
from .settings import Settings


@dataclass
class Health:
    graph: Graph
    figures: Figures
    verdict: Verdict
    problems: list[Problem]  # lines of the access log that could not be read


def load_history(settings: Settings) -> History:
    """Solution and vote dates from Git, or an empty History saying why not."""
    state = gitrepo.history_state(settings.root)
    if state != gitrepo.FULL:
        return History(state=state)
    questions = f"{settings.content_dir}/questions"
    return build_history(state, gitrepo.first_dates(settings.root, questions),
                         gitrepo.first_dates(settings.root, questions, changing=r"^accepted:"),
                         gitrepo.line_dates(settings.root, f"{settings.content_dir}/votes"),
                         settings.content_dir)


def load_health(settings: Settings, since: datetime | None = None, access_log: Path | None = None,
                now: datetime | None = None, graph: Graph | None = None) -> Health:
    """Everything `wol stats` and the /health/ page show."""
    content = load_content(settings.content_path, settings.root, settings.cache_path)
    graph = graph or build_graph(content)
    vote_dates = {(v.voter, v.target): v.date for v in content.votes if v.date}
    reads, problems = None, []
    if access_log is not None:
        try:
            with open(access_log, encoding="utf-8", errors="replace") as lines:
                hits, problems = parse_access_log(lines, str(access_log))
        except OSError as exc:
            raise WolError(f"{access_log}: cannot be read: {exc.strerror}") from None
        base = urlsplit(settings.site_url).path or "/"
        reads = count_reads(hits, page_urls_of(graph), base, since)
    figures = build_figures(graph, load_history(settings), now=now, since=since,
                            vote_dates=vote_dates, reads=reads)
    verdict = classify(figures)
    verdict.suggestion = suggest(graph, figures, verdict)
    return Health(graph, figures, verdict, problems)
