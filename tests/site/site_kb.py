"""The site tests' knowledge base (rich Markdown, Q&A, hostile input) and a static host for a built folder."""

from __future__ import annotations

import functools
import http.server
import threading
from contextlib import contextmanager
from pathlib import Path

from knowledge_base import doc

# Known XSS payloads: none may reach a reader, in a page or in a feed.
XSS_PAYLOADS = [
    "<script>alert('xss-script')</script>",
    "<img src=x onerror=alert('xss-img')>",
    "<svg onload=alert('xss-svg')></svg>",
    "<a href=\"javascript:alert('xss-js')\">click me</a>",
    "<a href=\"JaVaScRiPt:alert('xss-js-case')\">click me too</a>",
    "<a href=\"vbscript:msgbox('xss-vb')\">vb</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<iframe src=\"https://evil.example/\"></iframe>",
    "<object data=\"https://evil.example/x.swf\"></object>",
    "<embed src=\"https://evil.example/x.swf\">",
    "<form action=\"https://evil.example/\"><input name=q><button>go</button></form>",
    "<style>body { display: none }</style>",
    "<p onclick=\"alert('xss-onclick')\" onmouseover=\"alert('xss-hover')\">hover</p>",
    "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('xss-entity')\">entity</a>",
    "<a href=\"java&#x09;script:alert('xss-tab')\">tab</a>",
    "<img src=\"javascript:alert('xss-imgsrc')\">",
    "<div style=\"background:url(javascript:alert('xss-style'))\">styled</div>",
    "<math><mi xlink:href=\"javascript:alert('xss-math')\">m</mi></math>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\">",
    "[md link](javascript:alert('xss-mdlink'))",
    "<details open ontoggle=alert('xss-toggle')>d</details>",
    '<div class="wol-useful" data-id="questions/kafka-lag" data-count="999"></div>',
]

# What must never appear in any built page or feed (lower-cased).
FORBIDDEN = ["<script>alert", "onerror=", "onload=", "onclick=", "onmouseover=", "ontoggle=",
             "javascript:", "vbscript:", "data:text/html", "<iframe", "<object", "<embed", "<form",
             "<style>body", "<base ", "http-equiv", "xss-"]

RICH_BODY = """\
Our deploy checklist, as used by #platform with @bob.

!!! warning "Before you start"
    Tell #support in advance.

| step | owner |
|------|-------|
| freeze | @alice |
| deploy | @bob |

```python
def deploy(version):
    return f"deploying {version}"
```

- [x] tests green
- [ ] changelog written
"""

FILES = {
    "topics/kubernetes.md": "---\ntitle: Kubernetes\naliases: [k8s]\nfacilitators: [alice]\n---\n\n"
                            "Containers at scale. Ask @alice.\n",
    "posts/2026/deploy-checklist.md": doc("The deploy checklist", "alice", "2026-03-01", RICH_BODY,
                                          extra="tags: [releases]\n"),
    "posts/2026/k8s-upgrade.md": doc("Upgrading the clusters", "bob", "2026-03-02",
                                     "#k8s upgrade notes. Thanks @alice and @nobody-here.\n\n#kafka was fine."),
    "posts/2026/xss.md": doc("Safe <script>alert('xss-title')</script> rendering", "carol", "2026-03-03",
                             "Hostile input below, #security.\n\n" + "\n\n".join(XSS_PAYLOADS)),
    "posts/2026/draft.md": doc("A secret draft", "alice", "2026-03-04", "Not yet. #drafts-only", extra="draft: true\n"),
    "posts/2026/broken.md": "---\ntitle: Broken\ndate: 2026-03-05\n---\n\nNo author here.\n",
    "questions/kafka-lag/index.md": doc("Why is consumer lag growing after deploy?", "carol", "2026-03-06",
                                        "Our #kafka consumers fall behind after each deploy. @bob?",
                                        extra="accepted: bob\n"),
    "questions/kafka-lag/answers/bob.md": doc(None, "bob", "2026-03-07",
                                              "Rebalancing: use static membership, see #kafka docs."),
    "questions/kafka-lag/answers/alice.md": doc(None, "alice", "2026-03-08", "Check the partition count."),
    "questions/no-answer/index.md": doc("Where are the GPU nodes?", "alice", "2026-03-09",
                                        "Looking for #gpu capacity in staging."),
    "votes/alice.txt": "questions/kafka-lag/answers/bob\nposts/2026/k8s-upgrade\n",
    "votes/bob.txt": "posts/2026/deploy-checklist\n",
}

QUESTION_TITLE = "Why is consumer lag growing after deploy?"


@contextmanager
def serving(folder: Path):
    """A folder over HTTP on 127.0.0.1, as a static host serves it (/api/session answers 404): yields its URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
