"""Access log lines (common and combined log format) → reads per document page."""

from __future__ import annotations

from datetime import datetime, timezone

from wol.health.access_log import count_reads, parse_access_log, parse_line

COMBINED = '10.1.2.3 - alice [10/Oct/2026:13:55:36 -0700] "GET /wiki/posts/2026/caf%C3%A9/ HTTP/1.1" 200 2326 "https://x/" "Mozilla/5.0"'
COMMON = '10.1.2.3 - - [10/Oct/2026:13:55:36 +0000] "GET /wiki/questions/q/index.html HTTP/1.0" 304 -'
PAGES = {"posts/2026/café/": "posts/2026/café", "questions/q/": "questions/q"}


def test_combined_and_common_lines_are_both_understood():
    combined, common = parse_line(COMBINED), parse_line(COMMON)
    assert (combined.method, combined.path, combined.status) == ("GET", "/wiki/posts/2026/caf%C3%A9/", 200)
    assert combined.when == datetime(2026, 10, 10, 20, 55, 36, tzinfo=timezone.utc)
    assert (common.path, common.status) == ("/wiki/questions/q/index.html", 304)


def test_a_line_in_neither_format_is_reported_with_its_number():
    hits, problems = parse_access_log([COMBINED, "", "GET / 200", COMMON], "access.log")
    assert len(hits) == 2
    assert [(p.path, p.line, p.code) for p in problems] == [("access.log", 3, "log-line")]


def test_reads_are_counted_under_the_sites_base_path_only():
    hits, _ = parse_access_log([COMBINED, COMMON, COMBINED.replace("/wiki/", "/other/")])
    assert count_reads(hits, PAGES, "/wiki/") == {"posts/2026/café": 1, "questions/q": 1}
    assert count_reads(hits, PAGES, "/") == {"posts/2026/café": 0, "questions/q": 0}
