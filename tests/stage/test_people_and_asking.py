"""Who knows what (the people directory, api/people.json, avatars), "Ask" on every page that invites it,
and `wol.editor_url` on every staged page."""

from __future__ import annotations

import json

import pytest
from knowledge_base import doc, person

from wol.knowledge import load_graph
from wol.problems import WolError
from wol.settings import load_settings
from wol.stage import stage_site

TEAMS = "  teams:\n    data: Data & Analytics\n    support: Customer Support\n"


class Staged:
    def __init__(self, root):
        self.settings = load_settings(root)
        self.graph = load_graph(self.settings)
        self.staged = stage_site(self.graph, self.settings)

    def meta(self, path: str) -> dict:
        return self.staged.pages[path].meta

    def body(self, path: str) -> str:
        return self.staged.pages[path].markdown


def build_site(root) -> Staged:
    return Staged(root)


@pytest.fixture
def named(kb_root, tmp_path):
    """The module's knowledge base with team names and an editor configured."""
    import shutil
    root = tmp_path / "kb"
    shutil.copytree(kb_root, root)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "\nwol:\n" in text
    (root / "mkdocs.yml").write_text(text.replace("\nwol:\n", "\nwol:\n" + TEAMS
                                                  + "  editor_url: https://editor.example/kb\n"), encoding="utf-8")
    return build_site(root)


def test_the_directory_names_teams_from_the_setting_and_falls_back_to_the_slug(site, named):
    body = named.body("people/index.md")
    assert "## Data &#38; Analytics" in body and "## Customer Support" in body
    assert "## platform" in body  # no name configured: its slug
    assert "## Data &#38; Analytics" not in site.body("people/index.md")  # no setting: slugs
    assert "## data" in site.body("people/index.md")
    assert named.meta("people/index.md")["wol_teams"][0] == {"slug": "support", "name": "Customer Support"}


def test_the_directory_shows_each_persons_top_earned_expertise_with_its_score(site):
    rows = {line.split("](")[0].lstrip("- ["): line for line in site.body("people/index.md").splitlines()
            if line.startswith("- [")}
    # bob's answer was voted by alice and erin (#vpn), his post by both (#kafka): earned, with scores
    assert "[vpn · 2](../topics/vpn.md){.md-tag .wol-topic}" in rows["Bob Okafor"]
    assert "[kafka · 2](../topics/kafka.md){.md-tag .wol-topic}" in rows["Bob Okafor"]
    assert "md-tag" not in rows["Erin Walsh"]  # declared kafka, earned nothing: no chip in the directory
    topics = [t["tag"] for t in site.meta("people/index.md")["wol_expertise"]]
    assert "kafka" in topics and "gardening" not in topics  # declared without a topic page: no filter


def test_people_json_ranks_earned_expertise_and_keeps_declared_apart(site, named):
    people = {p["handle"]: p for p in json.loads(named.staged.files["api/people.json"])}
    assert {"tag": "kafka", "score": 2} in people["bob"]["earned"]
    assert [e["score"] for e in people["bob"]["earned"]] == sorted((e["score"] for e in people["bob"]["earned"]),
                                                                    reverse=True)
    assert people["erin"]["earned"] == [] and people["erin"]["declared"] == ["kafka", "gardening"]
    assert people["erin"]["team_name"] == "Data & Analytics" and people["erin"]["team"] == "data"
    assert people["dana"]["left"] is True
    assert people["alice"]["url"] == "/people/alice/"


def test_ask_is_offered_on_home_questions_topics_and_people_with_the_context(site):
    assert site.meta("index.md")["wol_ask"] == {}
    assert site.meta("questions/index.md")["wol_ask"] == {}
    assert site.meta("topics/kubernetes.md")["wol_ask"] == {"tags": "kubernetes", "label": "Ask about Kubernetes"}
    assert site.meta("people/alice.md")["wol_ask"] == {"ask": "alice", "label": "Ask Alice Martin"}
    assert "wol_ask" not in site.meta("people/dana.md")  # a former colleague cannot be asked


def test_the_editor_url_reaches_every_page_only_when_configured(site, named):
    assert all(page.meta.get("wol_editor") == "https://editor.example/kb/" for page in named.staged.pages.values())
    assert not any("wol_editor" in page.meta for page in site.staged.pages.values())


def test_a_person_page_names_the_team_by_the_setting(named):
    assert "Data engineer · Data &#38; Analytics" in named.body("people/erin.md")


def test_an_avatar_beside_the_profile_is_published_and_a_bad_one_is_an_error(make_site, tmp_path):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
           b"\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef"
           b"\x00\x00\x00\x00IEND\xaeB`\x82")
    files = {"people/ana.md": person("Ana Lima", "data", "ana", extra="avatar: ana.files/me.png\n"),
             "people/ben.md": person("Ben Ode", "data", "ben", extra="avatar: ../../secret.png\n"),
             "people/cy.md": person("Cy Rao", "data", "cy", extra="avatar: cy.jpg\n"),
             "people/di.md": person("Di Fox", "data", "di", extra="avatar: di.svg\n"),
             "posts/p.md": doc("P", "ana", "2026-01-01", "Hello.")}
    site = make_site(files)
    root = site.settings.root
    (root / "content/people/ana.files").mkdir()
    (root / "content/people/ana.files/me.png").write_bytes(png)
    site = build_site(root)
    assert site.meta("people/ana.md")["wol_avatar"] == "people/ana.files/me.png"
    for handle in ("ben", "cy", "di"):
        assert "wol_avatar" not in site.meta(f"people/{handle}.md")  # initials instead

    from wol.commands.check import check_repository
    problems = {(p.path, p.code): p for p in check_repository(load_settings(root))}
    assert ("content/people/ben.md", "avatar-refused") in problems
    assert ("content/people/di.md", "avatar-refused") in problems
    missing = problems[("content/people/cy.md", "avatar-missing")]
    assert missing.line == 5 and "content/people/cy.jpg does not exist" in missing.message
    assert not any(path == "content/people/ana.md" for path, _ in problems)


@pytest.mark.parametrize("setting, message", [
    ("  editor_url: editor.example\n", r"wol.editor_url must be the http\(s\) address"),
    ("  editor_url: javascript:alert(1)\n", r"wol.editor_url must be the http\(s\) address"),
    ("  teams: [data]\n", "wol.teams must map a team's slug to its name"),
])
def test_a_wrong_editor_url_or_teams_setting_is_a_clear_error(tmp_path, setting, message):
    from knowledge_base import write_kb
    root = write_kb(tmp_path / "kb", {}, use_git=False)
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(text.replace("\nwol:\n", "\nwol:\n" + setting), encoding="utf-8")
    with pytest.raises(WolError, match=message):
        load_settings(root)
