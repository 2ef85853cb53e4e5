"""A French site's notifications are in French, to a real SMTP server; nothing else about them changes."""

from __future__ import annotations

from datetime import timedelta

from knowledge_base import doc, git
from notify.notify_kb import NOW, commit_files, make_kb, question
from notify.test_notify import run, text_of


def french(root):
    path = root / "mkdocs.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n  language: fr\n"),
                    encoding="utf-8")
    git(root, "commit", "-qam", "French", "--no-verify")
    return root


def test_a_french_site_sends_french_messages_with_french_reasons(tmp_path, smtp):
    root = french(make_kb(tmp_path / "kb", smtp.port))
    assert run(root).first_run
    commit_files(root, question("lag"))
    run(root)
    carol = smtp.box.of("carol")[0]
    body = text_of(carol, "plain")
    assert carol["Subject"] == "[Test Wiki] Pouvez-vous répondre\u202f? «\u00a0Question lag\u00a0» (question de @alice) (résumé quotidien)"
    assert "Pourquoi vous recevez ceci\u00a0: vous avez acquis une expertise sur #kafka." in body
    assert "L’ouvrir\u00a0: https://wiki.test.example/questions/lag/" in body  # the same URL as in English
    assert "réglez `notify:` dans votre profil" in body
    html = text_of(carol, "html")
    assert '<html lang="fr" dir="ltr">' in html and "L’ouvrir sur Test Wiki" in html
    smtp.box.clear()
    commit_files(root, {"questions/lag/answers/carol.md": doc(None, "carol", "2026-04-01T10:00:00Z",
                                                               "Raise the session timeout, as @erin found.")})
    run(root, now=NOW + timedelta(hours=2))
    assert smtp.box.of("alice")[0]["Subject"] == "[Test Wiki] @carol a répondu à votre question «\u00a0Question lag\u00a0»"
    assert "@carol vous a mentionné" in text_of(smtp.box.of("erin")[0], "plain")
