"""Graph + History (+ reads) → everything `wol stats` and the /health/ page show: figures, verdict, suggestion."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..derive.graph import Graph
from .figures import Figures, build_figures
from .history import History
from .quadrant import Verdict, classify, suggest


@dataclass
class Health:
    graph: Graph
    figures: Figures
    verdict: Verdict
    problems: list = field(default_factory=list)  # lines of the access log that could not be read


def build_health(graph: Graph, history: History, now: datetime | None = None, since: datetime | None = None,
                 reads: dict[str, int] | None = None, problems=()) -> Health:
    """The figures (vote dates from the graph, solution and undated vote dates from history) and their verdict."""
    vote_dates = {pair: when for pair, when in graph.vote_dates.items() if when is not None}
    figures = build_figures(graph, history, now=now, since=since, vote_dates=vote_dates, reads=reads)
    verdict = classify(figures)
    verdict.suggestion = suggest(graph, figures, verdict)
    return Health(graph, figures, verdict, list(problems))
