"""wol.notify's settings: read, refused with a clear line when wrong, and every one documented."""

from pathlib import Path

import pytest

from wol.problems import WolError
from wol.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
ADMIN = (ROOT / "docs/administrators.md").read_text(encoding="utf-8")


def settings_with(tmp_path, notify_yaml: str):
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\nwol:\n  notify:\n{notify_yaml}", encoding="utf-8")
    return load_settings(tmp_path)


def test_no_notify_setting_means_no_channel(tmp_path):
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    notify = load_settings(tmp_path).notify
    assert not notify.channels_configured and (notify.experts, notify.escalate_after_hours) == (3, 48)


def test_smtp_and_webhooks_are_read(tmp_path):
    notify = settings_with(tmp_path, "    experts: 5\n    smtp: {host: mail.example, security: tls, from: w@example.com,"
                                     " user_env: U, password_env: P}\n"
                                     "    webhooks:\n      team: {url_env: TEAM_HOOK, format: teams}\n").notify
    assert (notify.experts, notify.smtp_host, notify.smtp_port, notify.smtp_security) == (5, "mail.example", 465, "tls")
    assert notify.webhooks["team"].format == "teams" and notify.webhooks["team"].url_env == "TEAM_HOOK"


@pytest.mark.parametrize("yaml_text, message", [
    ("    smtp: {host: mail.example, from: w@example.com, password_env: hunter2!}\n",
     "wol.notify.smtp.password_env must name an environment variable"),
    ("    smtp: {host: mail.example}\n", "wol.notify.smtp.from must be the sender's address"),
    ("    smtp: {host: mail.example, from: w@example.com, security: ssl}\n",
     "wol.notify.smtp.security must be one of starttls, tls, none"),
    ("    webhooks:\n      team: {url: https://hooks.example/secret}\n", "wol.notify.webhooks.team needs url_env"),
    ("    experts: many\n", "wol.notify.experts must be a whole number"),
    ("    expert: 3\n", "unknown setting wol.notify.expert"),
])
def test_a_wrong_notify_setting_stops_with_one_clear_line(tmp_path, yaml_text, message):
    with pytest.raises(WolError, match=message.replace(".", r"\.")):
        settings_with(tmp_path, yaml_text)


@pytest.mark.parametrize("key", ["experts", "escalate_after_hours", "escalate_experts", "smtp.host", "smtp.port",
                                 "smtp.security", "smtp.from", "smtp.user_env", "smtp.password_env", "webhooks"])
def test_every_notify_setting_is_documented(key):
    assert f"`wol.notify.{key}" in ADMIN
