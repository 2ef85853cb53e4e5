"""The health and privacy pages in the site's language: French words, dates, numbers and plurals; same paths."""

from __future__ import annotations

from health.kb import network, utc
from health.test_page import PEOPLE, POSTS, QUESTIONS, VOTES
from wol.commands.stats import load_health
from wol.health.page import stage_health
from wol.settings import load_settings


def staged(write, language):
    root = write(network(PEOPLE, POSTS, QUESTIONS, VOTES, topics={"kafka": ["alice"]}), name=language)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("  name: material\n",
                                                           f"  name: material\n  language: {language}\n"))
    settings = load_settings(root)
    health = load_health(settings, now=utc("2026-03-20T00:00:00"))
    return stage_health(health.graph, settings, health.figures, health.verdict)


def test_a_french_health_page_reads_french(write):
    pages = staged(write, "fr")
    page = pages.pages["health/index.md"].markdown
    assert page.startswith("# Santé du réseau")
    assert "*Mesuré le 20 mars 2026 sur tous les documents." in page
    assert "## Diagnostic\u00a0: " in page and "## Suggestion pour les animateurs" in page
    assert "1 question attend une réponse depuis plus de 14 jours. La plus ancienne est [Question 2?]" \
           "(../questions/q2.md)" in page  # a French plural, and the same link as in English
    assert "<td>votes «\u00a0utile\u00a0» par document</td><td>0,40</td>" in page  # a French decimal comma
    for english in ("Verdict", "Figures", "Help across teams", "answered", "of documents"):
        assert english not in page
    privacy = pages.pages["about/privacy.md"]
    assert privacy.meta["title"] == "Ce que wol publie sur vous" and "Vos droits" in privacy.markdown


def test_a_german_health_page_reads_german_and_keeps_its_paths(write):
    german, english = staged(write, "de"), staged(write, "en")
    assert set(german.pages) == set(english.pages)
    page = german.pages["health/index.md"].markdown
    assert page.startswith("# Zustand des Netzwerks") and "Gemessen am 20. März 2026" in page
    assert "## Kennzahlen" in page and "Beteiligung" in page
