"""The editor in French (`theme.language: fr`): its own words are French, what people wrote stays theirs, and
the language changes no URL, id, form field or API answer. In process, then in Chromium against `wol serve`."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest
from editor_server import BODY, HEADER, make_kb, write_body
from knowledge_base import git

NBSP, NNBSP = "\u00a0", "\u202f"


def french_kb(root):
    """The editor tests' knowledge base with `theme.language: fr` in mkdocs.yml, committed. What people wrote
    is still English, and says so (`wol.language: en`, as the demo does): only the interface is French."""
    make_kb(root)
    yml = root / "mkdocs.yml"
    text = yml.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  language: fr\n")
    yml.write_text(text.replace("\nwol:\n", "\nwol:\n  language: en\n"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "en français", "--no-verify")
    return root


class Seen(HTMLParser):
    """What a reader meets on a page: its text, the attributes read aloud or shown, the words editor.js shows;
    and what a program relies on: ids, field names, links and data-* attributes."""

    SHOWN = ("placeholder", "aria-label", "title")

    def __init__(self, html: str):
        super().__init__()
        self.text, self.shown, self.script_words, self.structure = [], [], [], []
        self._json = False
        self.lang = self.dir = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang, self.dir = attrs.get("lang"), attrs.get("dir")
        self._json = tag == "script" and attrs.get("id") == "wol-words"
        self.shown += [attrs[name] for name in self.SHOWN if attrs.get(name)]
        self.structure.append((tag, tuple(sorted((k, v) for k, v in attrs.items()
                                                 if k in ("id", "name", "href", "action", "type", "value")
                                                 or (k.startswith("data-") and k != "data-csrf")))))

    def handle_data(self, data):
        if self._json:
            self.script_words += list(_strings(json.loads(data)))
        elif data.strip():
            self.text.append(data.strip())

    def handle_endtag(self, tag):
        self._json = False

    def words(self) -> str:
        return "\n".join(self.text + self.shown + self.script_words)


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    else:
        yield value


# Who sees which page of the editor (everything the editor's own templates and pages.py can show).
PAGES = [
    ("dave", "edit/"),
    ("dave", "edit/post"),
    ("dave", "edit/question"),
    ("dave", "edit/question?ask=bob"),
    ("dave", "edit/answer/why-lag"),
    ("dave", "edit/reply/posts/2026/kafka-retention"),
    ("dave", "edit/profile"),
    ("dave", "edit/vote?target=posts/2026/kafka-retention"),
    ("bob", "edit/vote?target=posts/2026/kafka-retention"),  # one's own: "others mark it useful"
    ("bob", "edit/"),
    ("bob", "edit/posts/2026/kafka-retention"),
    ("alice", "edit/questions/why-lag"),
    ("dave", "edit/posts/2026/kafka-retention"),  # someone else's: the problem page
    ("newcomer", "edit/"),  # a first sign-in: create one's profile
]

# The editor's own English words; none may be left on its French pages.
ENGLISH = ["Write a post", "Ask a question", "Your writing", "Your profile", "Preview", "Title", "Topics",
           "Details", "Publish", "Save", "Cancel", "Save as draft", "Unpublish", "Delete this", "Withdraw",
           "Maybe it is already here", "comma-separated", "Restored your unsaved text", "Discard it",
           "Paste or drop", "See it", "Edit it again", "look again", "Accept an answer", "No accepted answer",
           "Hello", "Work out loud", "Answer a question", "found it useful", "found this useful", "Mark as useful",
           "Go back", "Did it help you", "Cannot continue", "Back to the site", "only its author",
           "Create your profile", "Welcome", "Tell people who you are", "Name", "Job title", "Team", "Location",
           "Ask me about", "About you", "Create profile", "Saving", "Not saved", "server", "cannot be attached",
           "It leaves the site", "Formatting", "Bold", "Italic", "Heading", "Bulleted list", "Numbered list",
           "Quote", "Editor", "Answer:", "Reply to", "Edit:", "Ask Bob", "How do I", "What you learned",
           "Your drafts", "edit", "line", "Link", "Text"]

# What people wrote (titles, texts, names): it stays as they wrote it, so it is left out of the check.
WRITTEN = ["Kafka retention explained", "How long #kafka keeps messages, and why @alice asked.",
           "Why does the consumer lag?", "Our #kafka consumer lags after each deploy.",
           "Rebalancing: use static membership.", "Check the partition count.", "Test Wiki",
           "Hello, I am Dave Lin."]


def english_left(words: str) -> list[str]:
    words = re.sub(r"%\(\w+\)s", "", words)  # the blanks editor.js fills (`%(line)s`) are names, not words
    for written in WRITTEN:
        words = words.replace(written, "")
    return [w for w in ENGLISH if re.search(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])", words)]


@pytest.fixture
def french(tmp_path, editor):
    return editor(french_kb(tmp_path / "fr")).client


@pytest.fixture
def english(tmp_path, editor):
    return editor(make_kb(tmp_path / "en")).client


def test_no_english_word_of_the_editor_is_left_on_its_french_pages(french):
    for handle, path in PAGES:
        response = french.as_(handle).get(path)
        assert response.status in (200, 403), (path, response.status)
        seen = Seen(response.text)
        assert (seen.lang, seen.dir) == ("fr", "ltr"), path
        assert english_left(seen.words()) == [], f"{handle} on /{path}"
        assert seen.text, path


def test_the_french_pages_read_as_french_is_written(french):
    ask = Seen(french.as_("dave").get("edit/question").text)
    assert "Poser une question" in ask.text
    assert "Votre question, en une ligne" in ask.text
    assert f"Comment faire pour…{NNBSP}?" in ask.shown
    assert f"C’est peut-être déjà là{NBSP}:" in ask.text
    assert "Poser la question" in ask.text
    assert "Enregistrement…" in ask.script_words and "Gras" in ask.script_words
    home = french.as_("bob").get("edit/").text
    assert "Bonjour Bob Okafor" in home
    assert "10 janvier 2026" in home  # the date of his post, in French, through Babel
    assert re.search(r"utile à 0 personne(?!s)", home)  # French plural: 0 is singular
    answer = Seen(french.as_("dave").get("edit/answer/why-lag").text)
    assert f"Répondre{NBSP}: Why does the consumer lag?" in answer.text  # the title stays as written


def test_refusals_and_the_site_pages_links_are_french(french):
    nobody = french.as_(None).get("edit/")
    assert nobody.status == 401
    assert f"vous n’êtes pas connecté{NBSP}: l’en-tête `X-Wol-User` manque" in nobody.text
    assert "Impossible de continuer" in nobody.text
    zoe = french.as_("zoe").get("edit/")
    assert zoe.status == 403 and "@zoe a quitté l’entreprise (depuis le 31 janvier 2025)" in zoe.text
    links = french.get("edit/words").json()  # what live.js adds to the site's pages
    assert links["edit"] == "Modifier" and links["answer"] == "Répondre à cette question"


def test_the_english_editor_is_unchanged(english):
    seen = Seen(english.as_("dave").get("edit/question").text)
    assert (seen.lang, seen.dir) == ("en", "ltr")
    assert "Ask a question" in seen.text and "Maybe it is already here:" in seen.text
    assert "How do I …?" in seen.shown


def test_the_language_changes_no_url_id_field_or_api(french, english):
    for handle, path in PAGES:
        fr, en = french.as_(handle).get(path), english.as_(handle).get(path)
        assert fr.status == en.status, path
        assert Seen(fr.text).structure == Seen(en.text).structure, f"{handle} on /{path}"
    for handle, path in [("dave", "api/similar?title=consumer%20lag"), ("dave", "api/documents/questions/why-lag"),
                         ("dave", "api/vocabulary"), ("dave", "api/search?q=kafka")]:
        fr, en = french.as_(handle).get(path), english.as_(handle).get(path)
        assert (fr.status, fr.json()) == (en.status, en.json()), path
    fr_session, en_session = french.as_("dave").get("api/session").json(), english.as_("dave").get("api/session").json()
    assert fr_session.keys() == en_session.keys()
    assert fr_session["handle"] == en_session["handle"] == "dave"


@pytest.mark.browser
@pytest.mark.slow
def test_asking_in_the_french_editor(tmp_path, serve, browser):
    site = serve(french_kb(tmp_path / "fr"))
    context = browser.new_context(extra_http_headers={HEADER: "dave"}, base_url=site.url)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto("edit/question")
        assert page.locator("html").get_attribute("lang") == "fr"
        assert page.locator("h1").inner_text() == "Poser une question"
        title = page.get_by_label("Votre question, en une ligne")
        assert title.get_attribute("placeholder") == f"Comment faire pour…{NNBSP}?"
        assert page.locator(".wol-md-toolbar").get_attribute("aria-label") == "Mise en forme"
        assert page.locator(".wol-md-toolbar__bold").get_attribute("aria-label").startswith("Gras")
        assert page.locator(".wol-md-toolbar__link").inner_text() == "Lien"
        page.locator(".wol-md-toolbar__bold").click()  # nothing selected: a French sample between the marks
        page.locator(BODY, has_text="**texte en gras**").wait_for()
        title.fill("Pourquoi mon consumer lag-t-il autant ?")
        similar = page.locator("#similar")
        similar.locator("a", has_text="Why does the consumer lag?").wait_for()
        assert similar.locator("p").inner_text() == f"C’est peut-être déjà là{NBSP}:"
        page.get_by_label("Sujets").fill("kafak")  # a new topic: saved, with a warning to look at
        write_body(page, "Ça prend des *minutes* après chaque déploiement. Une idée, @bob ?")
        page.locator("button", has_text="Poser la question").click()
        saved = page.locator("#saved")
        saved.wait_for()
        assert saved.locator("p").first.inner_text() == f"Enregistré, mais vérifiez encore{NBSP}:"
        assert saved.locator("a.saved__see").inner_text() == "Voir"
        saved.locator("a.saved__see").click()
        page.wait_for_url("**/questions/pourquoi-mon-consumer-lag-t-il-autant/")
        assert page.locator("h1").first.inner_text() == "Pourquoi mon consumer lag-t-il autant ?"
        page.locator(".wol-edit-bar a", has_text="Modifier").wait_for()  # live.js's link, in French too
    finally:
        context.close()
