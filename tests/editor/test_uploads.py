"""Files pasted, dropped or picked in the editor: committed with their document, refused when unsafe."""

from __future__ import annotations

import base64

import pytest

from attachments_data import PDF, SVG_WITH_SCRIPT, png
from editor_server import git_log, tree_is_clean
from knowledge_base import git


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_pasted_image_is_committed_with_its_post_and_shown_with_its_size(client, repo):
    erin = client.as_("erin")
    made = erin.post("api/documents", {"kind": "post", "title": "Restarting the agents",
                                       "body": "The console:\n\n![console](console.png)\n\nRunbook: [runbook](runbook.pdf)",
                                       "files": [{"name": "console.png", "data": b64(png(320, 200))},
                                                 {"name": "runbook.pdf", "data": b64(PDF)}]})
    assert made.status == 201, made.text
    post = made.json()["id"]
    slug = post.rsplit("/", 1)[1]
    files = git(repo, "show", "--name-only", "--format=%an|%s", "HEAD").split()
    assert files[0] == "Erin" and sorted(files[-3:]) == sorted([
        f"content/{post}.md", f"content/{post}.files/console.png", f"content/{post}.files/runbook.pdf"])
    text = (repo / f"content/{post}.md").read_text()
    assert f"![console]({slug}.files/console.png)" in text and f"[runbook]({slug}.files/runbook.pdf)" in text
    assert (repo / f"content/{post}.files/console.png").read_bytes() == png(320, 200)
    page = client.get(f"{post}/").text
    assert f'<img src="../{slug}.files/console.png" alt="console" width="320" height="200" loading="lazy">' in page
    assert client.get(f"{post}.files/console.png").body == png(320, 200)
    assert tree_is_clean(repo)


def test_a_file_added_while_editing_keeps_the_names_already_there(client, repo):
    bob = client.as_("bob")
    post = "posts/2026/kafka-retention"
    first = bob.put(f"api/documents/{post}", {"title": "Kafka retention explained", "body": "![a](shot.png)",
                                              "files": [{"name": "shot.png", "data": b64(png())}]})
    assert first.status == 200, first.text
    second = bob.put(f"api/documents/{post}", {"title": "Kafka retention explained",
                                               "body": "![a](kafka-retention.files/shot.png) ![b](shot.png)",
                                               "files": [{"name": "shot.png", "data": b64(png(8, 8))}]})
    assert second.status == 200, second.text
    assert sorted(p.name for p in (repo / f"content/{post}.files").iterdir()) == ["shot-2.png", "shot.png"]
    assert "![b](kafka-retention.files/shot-2.png)" in (repo / f"content/{post}.md").read_text()
    preview = bob.post("api/preview", {"markdown": "![a](kafka-retention.files/shot.png)", "document": post})
    assert '<img src="/posts/2026/kafka-retention.files/shot.png"' in preview.json()["html"]


@pytest.mark.parametrize("name, data, status, says", [
    ("drawing.svg", SVG_WITH_SCRIPT, 415, "SVG files are refused"),
    ("tool.exe", b"MZ\x90\x00", 415, ".exe cannot be attached"),
    ("photo.png", b"<script>alert(1)</script>", 415, "its content is not a .png file"),
    ("../../../../etc/cron.d/x.png", png(), 422, "without folders"),
    (".hidden.png", png(), 422, "without folders"),
    ("shot.png", "not base64!", 422, "not base64"),
])
def test_an_unsafe_upload_is_refused_nothing_is_saved_and_the_text_stays(client, repo, name, data, status, says):
    before = git_log(repo)
    answer = client.as_("carol").post("api/documents", {
        "kind": "post", "title": "With a file", "body": f"Precious words ![x]({name})",
        "files": [{"name": name, "data": data if isinstance(data, str) else b64(data)}]})
    assert answer.status == status, answer.text
    assert says in answer.json()["error"] and answer.json()["text"] == f"Precious words ![x]({name})"
    assert git_log(repo) == before and tree_is_clean(repo)
    assert not list((repo / "content/posts").rglob("*.files"))


def test_a_file_over_the_size_limit_is_refused_with_what_to_do(tmp_path, editor):
    from editor_server import make_kb
    root = make_kb(tmp_path / "kb")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text().replace("wol:\n", "wol:\n  attachment_max_mb: 0.001\n"))
    git(root, "commit", "-qam", "A small limit")
    answer = editor(root).client.as_("carol").post("api/documents", {
        "kind": "post", "title": "Big", "body": "![x](big.png)", "files": [{"name": "big.png", "data": b64(png(900, 900))}]})
    assert answer.status == 413 and "at most 1 KB" in answer.json()["error"] and "Git LFS" in answer.json()["error"]
    assert answer.json()["text"] == "![x](big.png)"


def test_the_reply_form_shows_the_images_of_what_it_answers(client, repo):
    bob = client.as_("bob")
    post = "posts/2026/kafka-retention"
    assert bob.put(f"api/documents/{post}", {"title": "Kafka retention explained", "body": "![graph](graph.png)",
                                             "files": [{"name": "graph.png", "data": b64(png())}]}).status == 200
    form = client.as_("carol").get(f"edit/reply/{post}").text
    assert '<img src="/posts/2026/kafka-retention.files/graph.png"' in form
