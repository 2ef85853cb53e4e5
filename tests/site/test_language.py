"""The demo built with `theme.language: fr` reads French in wol's own words — labels, dates, plurals, the
scripts' texts — with the same URLs, ids and API; a right-to-left language lays wol's own parts out
without breaking them."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest

from site_kb import serving

LAUNCH = dict(executable_path="/usr/bin/chromium", headless=True,
              args=["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"])


def build_in(demo_root: Path, folder: Path, language: str) -> Path:
    """A copy of the demo whose mkdocs.yml says `theme.language: <language>` (and no `wol.language`), built."""
    from wol.pipeline import build_site
    from wol.settings import load_settings
    root = folder / "kb"
    shutil.copytree(demo_root / "content", root / "content")
    if (demo_root / "theme").is_dir():
        shutil.copytree(demo_root / "theme", root / "theme")
    yml = (demo_root / "mkdocs.yml").read_text(encoding="utf-8")
    yml = yml.replace("  language: en\n", f"  language: {language}\n", 1)  # theme.language comes first
    yml = re.sub(r"(\nwol:\n(?:  .*\n)*?)  language: en\n", r"\1", yml, count=1)
    (root / "mkdocs.yml").write_text(yml, encoding="utf-8")
    build_site(load_settings(root), root / "site", echo=lambda message: None)
    return root / "site"


def words_of(site: Path, page: str) -> str:
    """What a reader reads on a page, scripts and styles left out."""
    html = (site / page / "index.html").read_text(encoding="utf-8")
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture(scope="module")
def french(demo_root, tmp_path_factory):
    return build_in(demo_root, tmp_path_factory.mktemp("fr"), "fr")


@pytest.fixture(scope="module")
def english(demo_root, tmp_path_factory):
    return build_in(demo_root, tmp_path_factory.mktemp("en"), "en")


ENGLISH_LABELS = ["Unanswered questions", "What's new", "Active topics", "All questions", "Browse questions",
                  "Find people", "Ask a question", "answers", "Accepted answer", "found this useful",
                  "Facilitated by", "Related topics", "Mentioned in", "Health of the network",
                  "Verdict", "Suggestion for the facilitators", "Follow ", "Ask or search"]


def test_a_french_site_reads_french_on_every_kind_of_page(french):
    home = words_of(french, "")
    assert "Questions sans réponse" in home and "Nouveautés" in home and "Demander ou chercher" in home
    assert "12 novembre 2026" in home and "0 réponse" in home  # a French date, and French plural for zero
    question = words_of(french, "questions/kafka-consumer-lag-after-deploy")
    assert "2 réponses" in question and "✓ Réponse acceptée" in question and "17 mars 2026" in question
    assert "personne l’a trouvé utile" in question or "personnes l’ont trouvé utile" in question
    topic = words_of(french, "topics/kafka")
    assert "Animé par" in topic and "Experts" in topic and "Poser une question sur Kafka" in topic
    person = words_of(french, "people/farah")
    assert "Demander à Farah Haddad" in person and "Acquise, par les votes et les réponses acceptées" in person
    health = words_of(french, "health")
    assert "Santé du réseau" in health and "Diagnostic" in health
    for page, text in {"home": home, "question": question, "topic": topic, "person": person,
                       "health": health, "people": words_of(french, "people"),
                       "questions": words_of(french, "questions")}.items():
        left = [label for label in ENGLISH_LABELS if label in text]
        assert not left, f"English left on the French {page} page: {left}"


def test_the_language_never_changes_a_url_an_id_or_the_api(french, english):
    def files(site):  # the search shards follow the stemmer, which follows the language (docs/translations.md)
        return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                      if p.is_file() and not p.relative_to(site).as_posix().startswith("search/"))
    assert files(french) == files(english)
    for api in ("api/documents.json", "api/topics.json", "api/people/farah.json"):
        assert json.loads((french / api).read_text()) == json.loads((english / api).read_text()), api


@pytest.mark.browser
def test_the_scripts_speak_french_too(french):
    from playwright.sync_api import sync_playwright
    with serving(french) as url, sync_playwright() as p:
        chromium = p.chromium.launch(**LAUNCH)
        page = chromium.new_page()
        page.goto(url + "questions/kafka-consumer-lag-after-deploy/")
        page.wait_for_selector(".wol-useful button, .wol-useful .wol-useful__label")
        assert page.locator(".wol-useful__label").first.inner_text() == "Utile"
        page.goto(url)
        page.fill("#wol-search-home-input", "consumer lag")
        page.wait_for_function("document.querySelector('.wol-search--hero .wol-search__status').textContent.includes('résultat')")
        status = page.locator(".wol-search--hero .wol-search__status").inner_text()
        assert re.fullmatch(r"\d+ résultats?", status), status
        page.fill("#wol-search-home-input", "zzqqxx")
        page.wait_for_function("document.querySelector('.wol-search--hero .wol-search__status').textContent.includes('Aucun')")
        assert "Aucun résultat pour «\u00a0zzqqxx\u00a0»." == page.locator(".wol-search--hero .wol-search__status").inner_text()
        chromium.close()


@pytest.mark.browser
def test_wols_own_parts_hold_in_a_right_to_left_language(demo_root, tmp_path_factory):
    """Arabic: dir=rtl (Material, on <body>); wol's hero, search box, chips and answers stay inside the page."""
    from playwright.sync_api import sync_playwright
    site = build_in(demo_root, tmp_path_factory.mktemp("ar"), "ar")  # also: no Arabic stemmer crash
    shots = tmp_path_factory.mktemp("ar-shots")
    with serving(site) as url, sync_playwright() as p:
        chromium = p.chromium.launch(**LAUNCH)
        for width in (1280, 390):
            page = chromium.new_page(viewport={"width": width, "height": 900})
            for path in ("", "questions/kafka-consumer-lag-after-deploy/", "people/"):
                page.goto(url + path)
                assert page.evaluate("document.body.dir") == "rtl"  # Material sets it on <body>
                page.screenshot(path=str(shots / f"{width}-{path.strip('/').replace('/', '-') or 'home'}.png"),
                                full_page=True)
                overflow = page.evaluate("""() => [...document.querySelectorAll(
                    '.wol-hero, .wol-search, .wol-doc, .wol-answer, .wol-chips, .wol-people-find, .wol-ask')]
                    .filter(e => e.offsetParent !== null)
                    .filter(e => { const r = e.getBoundingClientRect();
                                   return r.left < -1 || r.right > document.documentElement.clientWidth + 1; })
                    .map(e => e.className)""")
                assert overflow == [], f"{width}px {path or 'home'}: outside the page: {overflow}"
                assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1")
            page.close()
        chromium.close()
