"""The editor in Chromium (Playwright) against a real `wol serve`: what a person sees and does."""

from __future__ import annotations

import pytest
from editor_server import BODY, write_body

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_asking_a_question_in_the_form_puts_it_on_the_site(as_person):
    page = as_person("dave")
    page.goto("edit/question")
    page.fill("input[name=title]", "Why does my consumer lag so much?")
    similar = page.locator("#similar a", has_text="Why does the consumer lag?")
    similar.wait_for()  # the question may already have an answer
    assert similar.get_attribute("href") == "/questions/why-lag/"
    page.fill("input[name=tags]", "kafka")
    write_body(page, "It lags by *minutes* after each deploy. Ideas, @bob?")
    page.click("button[type=submit]")
    page.wait_for_url("**/questions/why-does-my-consumer-lag-so-much/")
    assert page.locator("h1").first.inner_text() == "Why does my consumer lag so much?"
    assert page.locator("article a[href$='people/bob/']", has_text="@bob").count() >= 1
    page.locator(".wol-answer-action").wait_for()  # unanswered: the theme's answer button …
    page.locator(".wol-edit-bar").wait_for()  # … and the editor's bar (Edit) are both there,
    assert page.locator("a", has_text="Answer this question").count() == 1  # with one answer button


def test_voting_on_a_page_changes_its_count(as_person):
    page = as_person("alice")
    page.goto("posts/2026/kafka-retention/")
    count = page.locator(".wol-doc .wol-useful__count")
    count.wait_for()
    assert count.inner_text() == "0 found this useful"
    page.click(".wol-doc .wol-useful__button")
    page.wait_for_function("document.querySelector('.wol-doc .wol-useful__count').textContent.startsWith('1 ')")
    page.reload()
    page.locator(".wol-doc .wol-useful[aria-pressed], .wol-doc .wol-useful--voted").first.wait_for()
    assert page.locator(".wol-doc .wol-useful__count").inner_text() == "1 found this useful"


def test_the_preview_shows_a_hashtag_as_a_link(as_person):
    page = as_person("carol")
    page.goto("edit/post")
    write_body(page, "Notes on #Kafka for @alice.")
    link = page.locator("#preview a", has_text="#Kafka")
    link.wait_for()
    assert link.get_attribute("href") == "/topics/kafka/"
    assert page.locator("#preview a", has_text="@alice").get_attribute("href") == "/people/alice/"


def test_the_asker_accepts_an_answer_from_the_question_page(as_person):
    page = as_person("alice")
    page.goto("questions/why-lag/")
    page.locator("#carol button", has_text="Accept this answer").click()
    page.locator("#carol.wol-accepted").wait_for()
    page.locator("#carol button", has_text="Withdraw acceptance").wait_for()
    assert page.locator("button", has_text="Accept this answer").count() == 1  # bob's, not carol's


def test_a_reader_answers_from_the_question_page(as_person):
    page = as_person("dave")
    page.goto("questions/why-lag/")
    page.click("text=Answer this question")
    page.wait_for_url("**/edit/answer/why-lag")
    write_body(page, "We fixed it with cooperative rebalancing.")
    page.click("button[type=submit]")
    page.wait_for_url("**/questions/why-lag/#dave")
    page.locator("#dave", has_text="cooperative rebalancing").wait_for()


def test_a_refused_save_keeps_the_text_and_says_why(as_person):
    page = as_person("erin")
    page.goto("edit/post")
    page.fill("input[name=title]", "Tagged badly")
    page.fill("input[name=tags]", "c++")
    write_body(page, "Precious words.")
    page.click("button[type=submit]")
    page.locator("#problem", has_text="c++").wait_for()
    assert page.input_value("textarea[name=body]") == "Precious words."


def test_an_open_page_reloads_when_its_file_changes(as_person, repo):
    page = as_person("erin")
    page.goto("posts/2026/note-3/")
    path = repo / "content/posts/2026/note-3.md"
    path.write_text(path.read_text().replace("Ops note number 3.", "Rewritten in a text editor."))
    page.locator("article", has_text="Rewritten in a text editor.").wait_for()


def test_a_newcomer_creates_a_profile_then_writes(browser, repo, serve):
    from knowledge_base import git
    git(repo, "config", "user.email", "nina@example.com")
    server = serve(repo, identity_header=None)  # a laptop: the Git user acts
    context = browser.new_context(base_url=server.url)
    try:
        page = context.new_page()
        page.goto("edit/")
        page.fill("input[name=handle]", "nina")
        page.fill("input[name=name]", "Nina New")
        write_body(page, "I run the #kafka brokers.")
        page.click("button[type=submit]")
        page.wait_for_url("**/people/nina/")
        page.locator(".wol-write").click()  # the header's "Write" link, now that she has a profile
        page.click("text=Write a post")
        page.fill("input[name=title]", "Broker upgrade notes")
        write_body(page, "Upgraded to 3.8 without downtime.")
        page.click("button[type=submit]")
        page.wait_for_url("**/posts/*/broker-upgrade-notes/")
        assert "Nina New" in page.locator(".wol-doc").inner_text()
    finally:
        context.close()


def test_a_reader_replies_to_a_post_with_a_preview_then_withdraws_it(as_person):
    page = as_person("dave")
    page.goto("posts/2026/kafka-retention/")
    page.locator(".wol-replies a", has_text="Reply").click()
    page.wait_for_url("**/edit/reply/posts/2026/kafka-retention")
    assert "How long" in page.locator(".reply-target").inner_text()  # what it answers, above the form
    write_body(page, "Does #Kafka keep compacted topics forever, @alice?")
    preview = page.locator("#preview a", has_text="@alice")
    preview.wait_for()
    assert preview.get_attribute("href") == "/people/alice/"
    page.click("button[type=submit]")
    page.wait_for_url("**/posts/2026/kafka-retention/#reply-*-dave")
    reply = page.locator(".wol-reply", has_text="compacted topics forever")
    reply.wait_for()
    assert "Dave Lin" in reply.inner_text()
    assert reply.locator("a", has_text="@alice").get_attribute("href").endswith("people/alice/")
    reply.locator("a", has_text="Edit or withdraw").click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#withdraw")
    page.wait_for_url("**/posts/2026/kafka-retention/")
    page.locator(".wol-replies a", has_text="Reply").wait_for()
    assert page.locator(".wol-reply").count() == 0


def test_a_reader_replies_to_an_answer_from_the_question_page(as_person):
    page = as_person("erin")
    page.goto("questions/why-lag/")
    page.locator("#bob .wol-replies a", has_text="Reply").click()
    page.wait_for_url("**/edit/reply/questions/why-lag/answers/bob")
    write_body(page, "Which client version was that?")
    page.click("button[type=submit]")
    page.wait_for_url("**/questions/why-lag/#reply-bob-*-erin")
    page.locator("#bob .wol-reply", has_text="Which client version was that?").wait_for()
    assert page.locator("#carol .wol-reply").count() == 0


def test_an_image_pasted_in_a_new_post_shows_in_the_preview_and_on_the_published_page(as_person):
    import base64
    from attachments_data import png
    page = as_person("carol")
    page.goto("edit/post")
    page.fill("input[name=title]", "The new dashboard")
    write_body(page, "Here it is: ")
    page.locator(BODY).focus()
    page.evaluate("""data => {
        const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], "image.png", { type: "image/png" }));
        const area = document.querySelector(".wol-md .cm-content");
        area.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true, cancelable: true }));
    }""", base64.b64encode(png(120, 60)).decode())
    page.wait_for_function("document.querySelector('textarea[name=body]').value.includes('![image](image.png)')")
    shown = page.locator("#preview img")
    shown.wait_for()
    assert shown.get_attribute("src").startswith("blob:")
    page.wait_for_function("document.querySelector('#preview img').naturalWidth === 120")
    page.click("button[type=submit]")
    page.wait_for_url("**/posts/*/the-new-dashboard/")
    image = page.locator("article img[alt=image]")
    image.wait_for()
    assert (image.get_attribute("width"), image.get_attribute("height"), image.get_attribute("loading")) == \
        ("120", "60", "lazy")
    page.wait_for_function("document.querySelector('article img[alt=image]').naturalWidth === 120")


def test_a_refused_file_is_named_and_the_text_stays(as_person):
    page = as_person("erin")
    page.goto("edit/post")
    write_body(page, "Precious words.")
    page.set_input_files("#attach", files=[{"name": "drawing.svg", "mimeType": "image/svg+xml",
                                             "buffer": b"<svg><script>alert(1)</script></svg>"}])
    page.locator("#problem", has_text="drawing.svg cannot be attached").wait_for()
    assert page.input_value("textarea[name=body]") == "Precious words."
