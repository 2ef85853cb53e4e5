"""Glue for the health figures: read content, Git history and an access log, then call wol/health.

wol/health is pure; this module is where disk and Git are touched (Git only
through wol/engines/gitrepo.py). `stage_health_pages` is what the site build adds to
`stage_site(..., extras=[...])`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..engines import gitrepo
from ..content.parse import parse_votes
from ..derive.graph import Graph
from ..health.access_log import count_reads, page_urls_of, parse_access_log
from ..health.figures import Figures, build_figures
from ..health.history import History, build_history
from ..health.page import stage_health
from ..health.quadrant import Verdict, classify, suggest
from ..knowledge import load_graph
from ..problems import Problem, WolError
from ..settings import Settings

_HISTORIES: dict[str, tuple[str | None, History]] = {}  # root → (HEAD, History): history changes only with commits


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
    head = gitrepo.head_commit(settings.root)
    cached = _HISTORIES.get(str(settings.root))
    if cached is None or cached[0] != head:
        questions = f"{settings.content_dir}/questions"
        undated = {f"{settings.content_dir}/votes/{name}" for name in _read_votes(settings)[1]}
        history = build_history(state, gitrepo.first_dates(settings.root, questions),
                                gitrepo.first_dates(settings.root, questions, changing=r"^accepted:"),
                                gitrepo.line_dates(settings.root, f"{settings.content_dir}/votes", undated),
                                settings.content_dir)
        cached = _HISTORIES[str(settings.root)] = (head, history)
    return cached[1]


def load_vote_dates(settings: Settings) -> dict:
    """(voter, target) → the date written on the vote's line, for votes that have one."""
    return _read_votes(settings)[0]


def _read_votes(settings: Settings) -> tuple[dict, set[str]]:
    """Dated votes, and the names of the votes files with undated lines (only those need git blame)."""
    dates, undated = {}, set()
    for path in sorted((settings.content_path / "votes").glob("*.txt")):
        try:
            votes, _ = parse_votes(path.stem, path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError):
            continue
        dates.update({(v.voter, v.target): v.date for v in votes if v.date})
        if any(v.date is None for v in votes):
            undated.add(path.name)
    return dates, undated


def load_health(settings: Settings, since: datetime | None = None, access_log: Path | None = None,
                now: datetime | None = None, graph: Graph | None = None) -> Health:
    """Everything `wol stats` and the /health/ page show."""
    graph = graph or load_graph(settings)
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
                            vote_dates=load_vote_dates(settings), reads=reads)
    verdict = classify(figures)
    verdict.suggestion = suggest(graph, figures, verdict)
    return Health(graph, figures, verdict, problems)


def stage_health_pages(settings: Settings, graph: Graph):
    """The /health/ and "What wol publishes about you" pages, as a Staged for stage_site's extras."""
    health = load_health(settings, graph=graph)
    return stage_health(graph, settings, health.figures, health.verdict)
