"""The box's script (`wol-index.js`, in Chromium) ranks as `wol search` does: the top ten of 300 random
queries over a synthetic knowledge base, typos included, with the weights `wol build` writes."""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from static_shards import queries, write
from wol.derive.graph import build_graph
from wol.engines.search import SearchIndex, StaticIndex
from wol.settings import Settings
from wol.stage.search import build_entries

from synthetic import zipf_content  # noqa: E402 (benchmarks/, put on the path by static_shards)

ASSETS = Path(__file__).resolve().parents[2] / "wol/resources/theme/assets"

pytestmark = [pytest.mark.browser, pytest.mark.slow]
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def served(site: Path):
    """The site folder over HTTP, with the box's index script and a blank page beside its shards."""
    shutil.copy(ASSETS / "wol-index.js", site / "wol-index.js")
    (site / "index.html").write_text('<!doctype html><meta charset="utf-8"><script src="wol-index.js"></script>',
                                     encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def launch(p):
    return p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)


def box_search(url: str, asked: list[str], limit: int) -> list[list]:
    """Each query's [id, score] hits from the box's script in Chromium, on the page at `url`."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        chromium = launch(p)
        page = chromium.new_page()
        page.goto(url)
        found = page.evaluate("""async ([asked, limit]) => {
            const index = WolIndex.open("search/");
            const out = [];
            for (const q of asked) out.push((await index.search(q, null, limit)).hits.map((h) => [h.record.id, h.score]));
            return out;
        }""", [asked, limit])
        chromium.close()
    return found


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """A static folder holding the shards of 400 synthetic documents and the box's index script."""
    tmp = tmp_path_factory.mktemp("box")
    graph = build_graph(zipf_content(400, seed=8))
    entries = build_entries(graph)
    write(StaticIndex("en").files(entries), tmp / "site")
    index = SearchIndex(Settings(root=tmp / "kb"))
    index.update(graph)
    with served(tmp / "site") as url:
        yield url, graph, index, entries


def test_the_box_script_ranks_three_hundred_random_queries_as_wol_search(box):
    url, graph, index, entries = box
    asked = queries(entries, 300, seed=9)
    found = box_search(url, asked, 10)
    same = 0
    for q, box_hits in zip(asked, found):
        wol = index.search(graph, q, limit=10)
        if [h.id for h in wol] == [doc_id for doc_id, _ in box_hits]:
            same += 1
            continue
        assert len(wol) == len(box_hits), q  # the same documents found…
        for mine, (_, theirs) in zip(wol, box_hits):  # …in an order that differs only by the weights' rounding
            assert abs(mine.score * 10_000 - theirs) <= 10 + 1e-4 * theirs, (q, mine, theirs)
    assert same >= 0.95 * len(asked), f"{same} of {len(asked)} identical"


@pytest.fixture(scope="module")
def demo_box(demo_root, tmp_path_factory):
    """The demo's shards with meaning, and `wol search`'s index of the demo, from one graph."""
    import dataclasses
    from wol.knowledge import load_graph
    from wol.settings import load_settings
    tmp = tmp_path_factory.mktemp("demo-box")
    settings = dataclasses.replace(load_settings(demo_root), cache_dir=str(tmp / "cache"))
    graph = load_graph(settings)
    write(StaticIndex("en", cache=tmp / "cache").files(build_entries(graph)), tmp / "site")
    index = SearchIndex(settings)
    index.update(graph)
    with served(tmp / "site") as url:
        yield url, graph, index


def test_the_box_finds_by_meaning_what_wol_search_finds(demo_box):
    """The meaning set (no query shares a word with its answer): the box's top three are `wol search`'s,
    query by query, and it finds the answer as often."""
    import yaml
    url, graph, index = demo_box
    cases = yaml.safe_load((Path(__file__).parents[1] / "data" / "meaning.yaml").read_text(encoding="utf-8"))
    asked = [c["query"] for c in cases]
    found = [[doc_id for doc_id, _ in hits] for hits in box_search(url, asked, 3)]
    wol = [[h.id for h in index.search(graph, q, limit=3)] for q in asked]
    assert found == wol
    found_answer = sum(c["expect"] in hits for c, hits in zip(cases, found))
    wol_answer = sum(c["expect"] in hits for c, hits in zip(cases, wol))
    assert found_answer >= 0.35 * len(cases) and found_answer >= wol_answer - 1, (found_answer, wol_answer)
    by_query = dict(zip(asked, found))
    assert by_query["who covers my rail fare for a client meeting"][0] == "posts/2026/travel-booking-how-to"
    assert by_query["is youtube routed via the corporate link"][0] == "posts/2025/vpn-split-tunnel-explained"


def test_meaning_downloads_only_when_a_query_needs_it_and_stays_small(demo_box):
    from playwright.sync_api import sync_playwright
    url, graph, index = demo_box
    with sync_playwright() as p:
        chromium = launch(p)
        page = chromium.new_page()
        fetched = []
        page.on("response", lambda r: fetched.append((r.url.split("/search/")[-1].split("?")[0], len(r.body())))
                if "/search/" in r.url else None)
        page.goto(url)
        ask = "async (q) => (await WolIndex.open('search/').search(q, null, 3)).hits.map((h) => h.record.id)"
        assert page.evaluate(ask, "consumer lag")[0] == "questions/kafka-consumer-lag-after-deploy"
        assert not [f for f, _ in fetched if f.startswith(("t/", "k/"))]  # words found: no meaning fetched
        fetched.clear()
        assert page.evaluate(ask, "who covers my rail fare for a client meeting")[0] == "posts/2026/travel-booking-how-to"
        chromium.close()
    assert any(f == "t/vocab.json" for f, _ in fetched)
    assert sum(size for _, size in fetched) < 2_000_000, fetched
