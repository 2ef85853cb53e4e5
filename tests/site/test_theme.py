"""wol's theme files: its copy of Material's header stays Material's, but for the search box."""

from __future__ import annotations

import re
from pathlib import Path

import material

WOL_THEME = Path(__file__).parents[2] / "wol/resources/theme"
MATERIAL = Path(material.__file__).parent / "templates"


def test_the_header_is_materials_with_wols_search_box_in_place_of_materials_search():
    ours = (WOL_THEME / "partials/header.html").read_text(encoding="utf-8")
    theirs = (MATERIAL / "partials/header.html").read_text(encoding="utf-8")
    search = re.compile(r'    \{% if "material/search" in config\.plugins %\}.*?\n    \{% endif %\}\n', re.S)
    assert len(search.findall(theirs)) == 1, "Material's header changed: copy it again into wol's theme"
    expected = search.sub('    {% include "partials/wol-search.html" %}\n', theirs)
    comment = re.compile(r"^\{#-.*?-#\}\n", re.S)
    assert comment.sub("", ours) == comment.sub("", expected), "Material's header changed: copy it again"


def test_every_page_has_one_search_box_and_the_home_page_a_large_one_first(built):
    home = built.read("index.html")
    assert home.count("data-wol-search") == 2
    assert (home.index("<h1") < home.index("wol-search--hero") < home.index("wol-hero__actions")
            < home.index('id="unanswered-questions"') < home.index('id="whats-new"'))
    page = built.read("posts/2026/deploy-checklist/index.html")
    assert page.count("data-wol-search") == 1 and "md-search" not in page
    assert "assets/wol-search.js" in page and "assets/wol-index.js" in page
