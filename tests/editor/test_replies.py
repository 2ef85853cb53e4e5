"""Replies through the editor's API, in process: one commit by the person, edit and withdraw one's own, refusals, races."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from editor_server import git_log, tree_is_clean, wait_for
from knowledge_base import git

POST = "posts/2026/kafka-retention"


def test_a_reply_is_one_commit_by_the_person_and_shows_under_the_post(client, repo):
    carol = client.as_("carol")
    made = carol.post("api/replies", {"target": POST, "body": "Does this hold for compacted topics, @bob?"})
    assert made.status == 201, made.text
    reply_id = made.json()["id"]
    assert reply_id.startswith(f"{POST}.replies/") and reply_id.endswith("-carol")
    assert made.json()["target"] == POST and made.json()["url"] == f"/{POST}/#reply-{reply_id.rsplit('/', 1)[1]}"
    assert git_log(repo, "-1") == [f"Carol Diaz|carol@example.com|Reply to {POST}"]
    text = (repo / f"content/{reply_id}.md").read_text()
    assert text.startswith("---\nauthor: carol\ndate: ") and text.endswith("Does this hold for compacted topics, @bob?\n")
    page = client.get(f"{POST}/").text
    assert f'id="reply-{reply_id.rsplit("/", 1)[1]}"' in page and "Does this hold for compacted topics" in page
    assert tree_is_clean(repo)


def test_a_reply_to_an_answer_and_the_links_the_page_offers(client):
    alice = client.as_("alice")
    made = alice.post("api/replies", {"target": "questions/why-lag/answers/bob", "body": "Which version, Bob?"})
    assert made.status == 201, made.text
    doc = alice.get("api/documents/questions/why-lag").json()
    assert doc["reply_url"] == "/edit/reply/questions/why-lag"
    bob = next(a for a in doc["answers"] if a["name"] == "bob")
    assert bob["reply_url"] == "/edit/reply/questions/why-lag/answers/bob"
    assert [(r["id"], r["can_edit"]) for r in bob["replies"]] == [(made.json()["id"], True)]
    seen_by_bob = client.as_("bob").get("api/documents/questions/why-lag").json()["answers"]
    assert next(a for a in seen_by_bob if a["name"] == "bob")["replies"][0]["can_edit"] is False
    form = alice.get("edit/reply/questions/why-lag/answers/bob")
    assert form.status == 200 and "Reply to: Answer to Why does the consumer lag?" in form.text
    assert "Rebalancing: use static membership." in form.text  # what it answers is shown above the form


def test_a_person_edits_and_withdraws_only_their_own_reply(client, repo):
    carol, dave = client.as_("carol"), client.as_("dave")
    reply_id = carol.post("api/replies", {"target": POST, "body": "First thought."}).json()["id"]
    assert dave.put(f"api/documents/{reply_id}", {"body": "Hijacked"}).status == 403
    assert dave.delete(f"api/replies/{reply_id}", {}).status == 403
    edited = carol.put(f"api/documents/{reply_id}", {"body": "Second thought."})
    assert edited.status == 200, edited.text
    assert (repo / f"content/{reply_id}.md").read_text().endswith("Second thought.\n")
    assert "Edit your reply to: Kafka retention explained" in carol.get(f"edit/{reply_id}").text
    withdrawn = carol.delete(f"api/replies/{reply_id}", {})
    assert withdrawn.status == 200, withdrawn.text
    assert withdrawn.json()["url"] == f"/{POST}/"
    assert not (repo / f"content/{reply_id}.md").exists()
    assert git_log(repo, "-1") == [f"Carol Diaz|carol@example.com|Withdraw reply {reply_id}"]
    assert "Second thought." in git(repo, "log", "-p", "--", f"content/{reply_id}.md")  # the history keeps it
    wait_for(lambda: "Second thought." not in client.get(f"{POST}/").text)
    assert tree_is_clean(repo)


def test_refused_replies_keep_the_text_and_commit_nothing(client, repo):
    carol = client.as_("carol")
    before = git_log(repo)
    missing = carol.post("api/replies", {"target": "posts/2026/nothing-here", "body": "Keep me"})
    assert missing.status == 404 and missing.json()["text"] == "Keep me"
    empty = carol.post("api/replies", {"target": POST, "body": "  "})
    assert empty.status == 422
    escaping = carol.post("api/replies", {"target": "../../../etc", "body": "Keep me"})
    assert escaping.status in (400, 404) and escaping.json()["text"] == "Keep me"
    stall = carol.post("api/replies", {"target": POST, "body": "`" * 70})
    assert stall.status == 422 and stall.json()["text"] == "`" * 70
    assert carol.post("api/replies", {"body": "no target"}).status == 422
    assert client.as_("nobody").post("api/replies", {"target": POST, "body": "Hi"}).status in (401, 403)
    assert git_log(repo) == before and tree_is_clean(repo)


def test_twenty_concurrent_replies_from_several_people_are_all_kept(client, repo):
    people = ["alice", "carol", "dave", "erin"]
    for handle in people:
        client.as_(handle).token()  # sessions first, so the replies themselves race

    def reply(n):
        handle = people[n % len(people)]
        return client.as_(handle).post("api/replies", {"target": POST, "body": f"Reply number {n} by @{handle}"})

    with ThreadPoolExecutor(max_workers=20) as pool:
        answers = list(pool.map(reply, range(20)))
    assert [a.status for a in answers] == [201] * 20, [a.text for a in answers if a.status != 201]
    ids = {a.json()["id"] for a in answers}
    assert len(ids) == 20
    files = sorted((repo / f"content/{POST}.replies").glob("*.md"))
    bodies = sorted(f.read_text().rsplit("\n", 2)[-2] for f in files)
    assert bodies == sorted(f"Reply number {n} by @{people[n % len(people)]}" for n in range(20))
    assert len([line for line in git_log(repo) if f"|Reply to {POST}" in line]) == 20
    git(repo, "fsck", "--strict")
    assert tree_is_clean(repo)
    wait_for(lambda: client.get(f"{POST}/").text.count('class="wol-reply"') == 20)


def test_served_files_beside_documents_never_run_as_pages(tmp_path, editor):
    from attachments_data import PDF, png
    from editor_server import make_kb
    root = make_kb(tmp_path / "kb")
    folder = root / "content/posts/2026/kafka-retention.files"
    folder.mkdir()
    (folder / "shot.png").write_bytes(png())
    (folder / "runbook.pdf").write_bytes(PDF)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Files")
    client = editor(root).client.as_("alice")
    image = client.get(f"{POST}.files/shot.png")
    assert image.status == 200 and image.headers["Content-Type"] == "image/png"
    assert image.headers.get("Content-Disposition", "inline").startswith("inline")
    assert "sandbox" in image.headers["Content-Security-Policy"]
    pdf = client.get(f"{POST}.files/runbook.pdf")
    assert pdf.status == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"] == "attachment; filename*=UTF-8''runbook.pdf"
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"


def test_a_reply_written_in_a_text_editor_appears_on_the_live_page(client, repo):
    path = repo / f"content/{POST}.replies/2026-01-11-dave.md"
    path.parent.mkdir()
    path.write_text("---\nauthor: dave\ndate: 2026-01-11\n---\n\nWritten in vim, #kafka.\n")
    wait_for(lambda: "Written in vim" in client.get(f"{POST}/").text)
    wait_for(lambda: "kafka-retention/#reply-2026-01-11-dave" in client.get("people/dave/").text)  # his replies
    path.unlink()
    wait_for(lambda: "Written in vim" not in client.get(f"{POST}/").text)
