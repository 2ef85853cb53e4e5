"""The Markdown editor in Chromium against a real `wol serve`: completion, toolbar, autosave, drafts, delete,
warnings, the vote page and a first sign-in behind single sign-on."""

from __future__ import annotations

import re

import pytest
from editor_server import BODY, HEADER, git_log, make_kb, write_body
from knowledge_base import git

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def body_of(page) -> str:
    return page.input_value("textarea[name=body]")  # the form's field, kept in step with the editor


def test_an_at_mention_completes_while_typing(as_person):
    page = as_person("dave")
    page.goto("edit/post")
    text = page.locator(BODY)
    text.click()
    text.press_sequentially("Thanks @bo", delay=20)
    option = page.locator(".cm-tooltip-autocomplete li", has_text="@bob")
    option.wait_for()
    assert "Bob Okafor" in option.inner_text()
    option.click()
    page.wait_for_function("document.querySelector('textarea[name=body]').value === 'Thanks @bob '")
    page.locator("#preview a[href$='/people/bob/']", has_text="@bob").wait_for()


def test_a_late_preview_answer_never_replaces_a_newer_one(as_person):
    page = as_person("dave")
    held = []

    def hold_the_first(route):  # the first answer with the word "first" comes back after the newer one
        if "first" in (route.request.post_data or "") and not held:
            held.append(route)
            return
        route.continue_()

    page.route("**/api/preview", hold_the_first)
    page.goto("edit/post")
    write_body(page, "first draft")
    page.wait_for_timeout(600)  # the debounced preview of "first draft" has been asked for and is held
    assert held, "the preview of the first text was never asked for"
    page.locator(BODY).press("End")
    page.locator(BODY).press_sequentially(" then the final words", delay=10)
    page.locator("#preview", has_text="then the final words").wait_for()
    with page.expect_response("**/api/preview"):
        held[0].continue_()  # the late answer arrives now
    page.wait_for_timeout(300)  # and its handler has run
    assert "then the final words" in page.inner_text("#preview")


def test_a_topic_completes_from_its_alias(browser, tmp_path, serve):
    root = make_kb(tmp_path / "kb")
    (root / "content/topics").mkdir()
    (root / "content/topics/kubernetes.md").write_text("---\ntitle: Kubernetes\naliases: [k8s]\n---\nPods.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "topic", "--no-verify")
    server = serve(root)
    context = browser.new_context(extra_http_headers={HEADER: "dave"}, base_url=server.url)
    try:
        page = context.new_page()
        page.goto("edit/question")
        text = page.locator(BODY)
        text.click()
        text.press_sequentially("Pods on #k8", delay=20)
        option = page.locator(".cm-tooltip-autocomplete li", has_text="#kubernetes")
        option.wait_for()
        option.click()
        page.wait_for_function("document.querySelector('textarea[name=body]').value === 'Pods on #kubernetes '")
    finally:
        context.close()


def test_the_toolbar_bolds_the_selection_from_the_keyboard(as_person):
    page = as_person("dave")
    page.goto("edit/post")
    write_body(page, "important")
    page.locator(BODY).press("Control+a")
    page.locator(".wol-md-toolbar button").first.focus()  # Bold: the toolbar's one tab stop
    page.keyboard.press("ArrowRight")  # Italic
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Italic")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('textarea[name=body]').value === '**important**'")


def test_unsaved_text_is_restored_after_the_tab_closes_and_can_be_discarded(as_person):
    page = as_person("erin")
    page.goto("edit/question?tags=kafka")
    page.fill("input[name=title]", "Where are the broker logs?")
    write_body(page, "I looked in /var/log and found nothing.")
    page.wait_for_function("Object.keys(localStorage).some(k => k.startsWith('wol-editor:'))")
    context = page.context
    page.close()

    again = context.new_page()
    again.goto("edit/question?tags=kafka")
    again.locator("#restored", has_text="Restored your unsaved text").wait_for()
    assert again.input_value("input[name=title]") == "Where are the broker logs?"
    assert again.locator(BODY).inner_text() == "I looked in /var/log and found nothing."
    assert body_of(again) == "I looked in /var/log and found nothing."
    again.click("#discard")
    assert again.locator("#restored").is_hidden()
    assert again.input_value("input[name=title]") == "" and body_of(again) == ""
    assert again.evaluate("Object.keys(localStorage).filter(k => k.startsWith('wol-editor:')).length") == 0


def test_saving_clears_the_kept_text_and_leaving_unsaved_text_asks_first(as_person):
    page = as_person("erin")
    page.goto("edit/post")
    write_body(page, "Half a thought")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.locator("a", has_text="Your writing").click()
    page.locator("h1", has_text="Write a post").wait_for()
    assert asked == ["beforeunload"]
    assert page.url.endswith("/edit/post")  # stayed, text and all
    assert body_of(page) == "Half a thought"
    page.fill("input[name=title]", "A whole thought")
    page.locator("button", has_text="Publish").click()
    page.wait_for_url("**/posts/*/a-whole-thought/")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('wol-editor:')).length") == 0


def test_a_draft_then_publish_then_unpublish_then_delete(as_person, repo):
    page = as_person("carol")
    page.goto("edit/post")
    page.fill("input[name=title]", "Support rota")
    write_body(page, "Who is on call when.")
    page.locator("button", has_text="Save as draft").click()
    page.wait_for_url("**/edit/posts/*/support-rota")
    page.locator(".state", has_text="A draft").wait_for()
    assert "draft: true" in next((repo / "content/posts").glob("*/support-rota.md")).read_text()
    page.locator("button", has_text="Publish").click()
    page.wait_for_url("**/posts/*/support-rota/")
    page.locator("h1", has_text="Support rota").wait_for()

    page.goto(page.url.replace("/posts/", "/edit/posts/").rstrip("/"))
    page.locator("button", has_text="Unpublish").click()
    page.wait_for_url("**/edit/posts/*/support-rota")
    page.locator(".state", has_text="A draft").wait_for()
    assert git_log(repo, "-1")[0].startswith("Carol Diaz|carol@example.com|Unpublish posts/")

    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("#delete").click()
    page.wait_for_url("**/edit/")
    assert not list((repo / "content/posts").glob("*/support-rota.md"))
    assert git_log(repo, "-1")[0].startswith("Carol Diaz|carol@example.com|Delete posts/")


def test_someone_elses_document_has_no_edit_form(as_person):
    page = as_person("dave")
    response = page.goto("edit/posts/2026/kafka-retention")
    assert response.status == 403
    assert "only its author (@bob)" in page.locator("main").inner_text()


def test_warnings_are_shown_with_the_saved_result(as_person):
    page = as_person("dave")
    page.goto("edit/post")
    page.fill("input[name=title]", "Lag after deploys")
    page.fill("input[name=tags]", "kafak")
    write_body(page, "Thanks @bobb for the hint.")
    page.locator("button", has_text="Publish").click()
    saved = page.locator("#saved")
    saved.wait_for()
    text = saved.inner_text()
    assert "@bobb" in text
    assert "#kafak is a new topic: nobody used it before. Did you mean #kafka?" in text
    saved.locator("a", has_text="See it").click()
    page.wait_for_url("**/posts/*/lag-after-deploys/")


def test_the_vote_page_marks_useful_then_returns_then_withdraws(as_person, repo):
    page = as_person("dave")
    page.goto("edit/vote?target=posts/2026/kafka-retention&next=/questions/why-lag/")
    page.locator("h2", has_text="Kafka retention explained").wait_for()
    page.locator("button", has_text="Mark as useful").click()
    page.wait_for_url(lambda url: url.endswith("/questions/why-lag/") and "/edit/" not in url)
    assert "posts/2026/kafka-retention" in (repo / "content/votes/dave.txt").read_text()
    assert git_log(repo, "-1")[0].startswith("Dave Lin|dave@example.com|")
    page.goto("edit/vote?target=posts/2026/kafka-retention&next=https://evil.example/")
    page.locator("#useful-count", has_text="1 found this useful").wait_for()
    page.locator("button", has_text="Withdraw").click()
    page.wait_for_url("**/posts/2026/kafka-retention/")  # not to another site
    page.locator(".wol-doc .wol-useful__count", has_text="0 found this useful").wait_for()


def test_a_first_sign_in_creates_a_profile_then_asks(browser, tmp_path, serve):
    root = make_kb(tmp_path / "kb")
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text().replace("wol:\n", "wol:\n  identity_name_header: X-Name\n"
                                                      "  identity_email_header: X-Email\n"))
    git(root, "commit", "-qam", "sso headers", "--no-verify")
    server = serve(root)
    context = browser.new_context(base_url=server.url, extra_http_headers={
        HEADER: "nina", "X-Name": "Nina New", "X-Email": "nina@corp.example"})
    try:
        page = context.new_page()
        page.goto("edit/question?ask=bob")
        page.locator("h1", has_text="Create your profile").wait_for()
        assert page.input_value("input[name=name]") == "Nina New"
        assert page.input_value("input[name=email]") == "nina@corp.example"
        page.fill("input[name=team]", "ops")
        page.locator("button", has_text="Create profile").click()
        page.wait_for_url("**/edit/question?ask=bob")  # on to what she was doing
        page.locator("h1", has_text="Ask Bob Okafor").wait_for()
        assert body_of(page) == "@bob "
        page.fill("input[name=title]", "Who owns the broker upgrade?")
        page.locator("button", has_text="Ask").first.click()
        page.wait_for_url("**/questions/who-owns-the-broker-upgrade/")
        assert page.locator("article a[href$='people/bob/']", has_text="@bob").count() >= 1
        assert git_log(root, "-2") == ["Nina New|nina@corp.example|Question: Who owns the broker upgrade?",
                                       "Nina New|nina@corp.example|Profile of @nina"]
    finally:
        context.close()


def test_the_shipped_bundle_names_the_pinned_versions():
    import json
    from pathlib import Path
    import wol.editor
    here = Path(wol.editor.__file__).parent
    lock = json.loads((here / "assets-src/package-lock.json").read_text())
    wanted = json.loads((here / "assets-src/package.json").read_text())["dependencies"]
    head = (here / "static/vendor/wol-markdown.min.js").read_text(encoding="utf-8")[:1000]
    named = dict(re.findall(r"(@[\w-]+/[\w-]+)@(\d+\.\d+\.\d+)", head.split("*/")[0]))
    assert named == {name: lock["packages"][f"node_modules/{name}"]["version"] for name in wanted}
    assert named == wanted  # package.json pins exact versions
    assert (here / "static/vendor/wol-markdown.LICENSE.txt").read_text().count("MIT") >= len(wanted)


def test_the_shipped_bundle_is_what_the_lock_file_builds(tmp_path):
    """Byte for byte, where the pinned packages are installed (`npm ci` in assets-src/); CI has no npm."""
    import os
    import shutil
    import subprocess
    from pathlib import Path
    import wol.editor
    here = Path(wol.editor.__file__).parent
    if shutil.which("node") is None or not (here / "assets-src/node_modules/.bin/esbuild").exists():
        pytest.skip("the pinned packages are not installed here: cd wol/editor/assets-src && npm ci")
    out = tmp_path / "wol-markdown.min.js"
    subprocess.run(["node", "build.mjs"], cwd=here / "assets-src", check=True, capture_output=True,
                   env=dict(os.environ, WOL_BUNDLE_OUT=str(out)))
    assert out.read_bytes() == (here / "static/vendor/wol-markdown.min.js").read_bytes()
    assert (tmp_path / "wol-markdown.LICENSE.txt").read_bytes() == \
        (here / "static/vendor/wol-markdown.LICENSE.txt").read_bytes()
