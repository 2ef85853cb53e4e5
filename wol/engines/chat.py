"""Chat over incoming webhooks: one JSON POST per message (standard library's urllib.request).

The webhook's URL is a secret, so mkdocs.yml names only the environment variable that holds it.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request

from ..settings import Webhook
from .mail import SendFailed

TIMEOUT = 15


def webhook_url(hook: Webhook) -> str:
    """The webhook's URL from its environment variable; SendFailed when it is missing."""
    url = os.environ.get(hook.url_env, "")
    if not url.startswith(("https://", "http://")):
        raise SendFailed(f"the environment variable {hook.url_env} (webhook {hook.name}) does not hold an "
                         f"http(s) URL")
    return url


def post_webhook(hook: Webhook, payload: dict) -> None:
    """POST the payload as JSON; any answer but 2xx is SendFailed."""
    request = urllib.request.Request(webhook_url(hook), data=json.dumps(payload).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", "User-Agent": "wol-notify"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
            answer.read()
    except urllib.error.HTTPError as exc:
        raise SendFailed(f"webhook {hook.name} answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise SendFailed(f"webhook {hook.name} cannot be reached: {getattr(exc, 'reason', exc)}") from None
