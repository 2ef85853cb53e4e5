"""The `wol` command line: each command is a few lines that call the layers below."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .problems import WolError


class WolGroup(click.Group):
    """Shows WolError as a clear message with exit code 1, never as a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WolError as exc:
            click.secho(f"wol: {exc}", fg="red", err=True)
            sys.exit(1)


@click.group(cls=WolGroup)
@click.version_option(__version__, prog_name="wol")
@click.option("-C", "--repo", "root", default=".", type=click.Path(file_okay=False),
              help="The knowledge repository (default: the current folder).")
@click.pass_context
def main(ctx, root):
    """wol: work out loud — a Git-backed knowledge wiki."""
    ctx.obj = Path(root)


def settings_of(ctx):
    from .settings import load_settings
    return load_settings(ctx.obj)


@main.command()
@click.option("--staged", is_flag=True, help="Check what the next commit contains (Git's index).")
@click.option("--json", "as_json", is_flag=True, help="Print problems as JSON.")
@click.pass_context
def check(ctx, staged, as_json):
    """Validate the content; exit 1 on errors, 0 with warnings only."""
    from .commands.check import check_repository, count
    problems = check_repository(settings_of(ctx), staged=staged)
    if as_json:
        click.echo(json.dumps([p.as_dict() for p in problems], indent=2, ensure_ascii=False))
    else:
        for p in problems:
            click.secho(p.render(), fg="red" if p.severity == "error" else "yellow")
        errors, warnings = count(problems)
        click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    sys.exit(1 if any(p.severity == "error" for p in problems) else 0)


@main.command()
@click.argument("target")
@click.option("--undo", is_flag=True, help="Withdraw your vote.")
@click.pass_context
def vote(ctx, target, undo):
    """Record that TARGET (a document id) was useful to you, as one commit."""
    from .commands.vote import vote as run
    sha = run(settings_of(ctx), target, undo=undo)
    click.echo(f"{'Withdrew' if undo else 'Recorded'} your vote for {target} ({sha[:8]}).")


@main.command()
@click.argument("kind", type=click.Choice(["post", "question", "answer", "reply", "profile"]))
@click.argument("question", required=False, default="", metavar="[QUESTION|TARGET]")
@click.option("--title", default="", help="The title (asked for when not given).")
@click.option("--no-edit", is_flag=True, help="Do not open $EDITOR.")
@click.pass_context
def new(ctx, kind, question, title, no_edit):
    """Create a post, question, answer (to QUESTION), reply (to TARGET) or your profile from a template."""
    from .commands.new import new_file
    settings = settings_of(ctx)
    if kind == "answer" and not question:
        raise WolError("say which question to answer: `wol new answer QUESTION-SLUG`")
    if kind == "reply" and not question:
        raise WolError("say what to reply to: `wol new reply posts/2026/slug` (a post, question or answer id)")
    path = new_file(settings, kind, title=title, question=question, ask_title=lambda: click.prompt("Title"))
    click.echo(f"Created {path.relative_to(settings.root)}")
    if no_edit or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    if os.environ.get("VISUAL") or os.environ.get("EDITOR"):
        click.edit(filename=str(path))
    else:  # never drop a newcomer into vi
        click.echo("Open it in your editor, or set EDITOR (for example `export EDITOR=nano`) "
                   "and wol new opens it for you.")


@main.group()
def hooks():
    """Git hooks that run `wol check` before each commit."""


@hooks.command("install")
@click.pass_context
def hooks_install(ctx):
    """Install the pre-commit hook into this repository's .git/hooks."""
    from .commands.hooks import install_hooks
    for path in install_hooks(ctx.find_root().obj):
        click.echo(f"Installed {path}")


# Commands of the later layers are registered below, one import each.
# -- build --
@main.command()
@click.option("--site-dir", type=click.Path(file_okay=False), default=None,
              help="Where to write the site (default: site/ in the repository).")
@click.option("--strict", is_flag=True, help="Fail on any error instead of skipping invalid documents.")
@click.option("--clean", is_flag=True, help="Build everything anew, ignoring what the last build left in .wol-cache/.")
@click.pass_context
def build(ctx, site_dir, strict, clean):
    """Publish the site into site/ (or --site-dir); only what changed since the last build is rendered again."""
    from .pipeline import build_site
    build_site(settings_of(ctx), site_dir, strict=strict, clean=clean, echo=lambda m: click.echo(m, err=True),
               one_off=True)


# -- serve --
@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--identity-header", default="", metavar="NAME",
              help="Take the acting person's handle from this request header, set by a single sign-on proxy.")
@click.option("--push", is_flag=True,
              help="Pull from and push to origin around each write (or set wol.push: true); off, writes stay here.")
@click.pass_context
def serve(ctx, host, port, identity_header, push):
    """Serve the live site and the web editor; update the site as files change."""
    from .commands.serve import serve as run
    run(ctx.obj, host, port, identity_header, push=push, echo=lambda m: click.echo(m, err=True))


# -- search --
@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print [{id, kind, title, url, score, snippet, state, answer, topics, date}].")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1, 1000), help="At most this many hits.")
@click.option("--kind", type=click.Choice(["question", "post", "person", "topic"]), help="Only hits of this kind.")
@click.option("--state", type=click.Choice(["unanswered", "answered", "solved"]), help="Only questions in this state.")
@click.option("--topic", metavar="TAG", help="Only hits on this topic.")
@click.pass_context
def search(ctx, query, as_json, limit, kind, state, topic):
    """Full-text search over published posts, questions, people and topics, best first."""
    from .commands.search import progress_printer, search_repository, terminal_snippet
    settings = settings_of(ctx)
    notify = progress_printer(lambda text: click.echo(text, err=True, nl=False), sys.stderr.isatty())
    hits = search_repository(settings, " ".join(query), limit=limit, notify=notify,
                             kind=kind, state=state, topic=topic)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        click.echo("Nothing published matches. No answer? Ask it: wol new question", err=True)
        return
    base = settings.site_url.rstrip("/") + "/" if settings.site_url else "/"
    for hit in hits:
        what = f"{hit.kind}, {hit.state}" if hit.state else hit.kind
        click.echo(f"{click.style(hit.title, bold=True)}  ({what}, {hit.score:.2f})")
        click.echo(f"  {base}{hit.url}")
        if hit.answer:  # the answer first: often no click is needed
            click.echo("  " + click.style("Accepted answer: ", fg="green") + terminal_snippet(hit.answer, str))
        if hit.snippet and hit.snippet != hit.answer:
            click.echo("  " + terminal_snippet(hit.snippet, lambda s: click.style(s, bold=True)))
        click.echo()


# -- publish --
@main.command()
@click.argument("dest", type=click.Path())
@click.option("--keep", default=5, show_default=True, type=click.IntRange(2), help="Releases kept for rollback.")
@click.option("--strict", is_flag=True, help="Fail on any error instead of skipping invalid documents.")
@click.pass_context
def publish(ctx, dest, keep, strict):
    """Build the site and switch DEST (a symbolic link) to it atomically."""
    from .commands.publish import publish_site
    publish_site(settings_of(ctx), dest, keep=keep, strict=strict, echo=lambda m: click.echo(m, err=True),
                 one_off=True)


# -- init --
@main.command()
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--install", default="", metavar="SPEC",
              help="How CI installs wol: a pip requirement such as 'wol-wiki==0.1.0' or "
                   "'wol-wiki @ git+https://git.example/wol@v0.1.0' (default: how this wol was installed).")
@click.option("--publish", type=click.Choice(["artifact", "pages"]), default="artifact", show_default=True,
              help="What CI does with the site: a private CI artifact, or GitHub/GitLab Pages (public on most plans).")
@click.option("--site-url", default="", metavar="URL",
              help="Where readers will find the site, e.g. https://wiki.example.com/ (asked for when omitted "
                   "in a terminal; `wol build --strict` refuses an empty site_url).")
def init(folder, install, publish, site_url):
    """Start a new knowledge repository in DIR (new or empty), committed and guarded by the hook."""
    from .commands.init import PUBLISH_NOTES, init_repository
    if not site_url and sys.stdin.isatty():
        site_url = click.prompt("Where will readers find the site (site_url, e.g. https://wiki.example.com/)",
                                default="", show_default=False)
    started = init_repository(folder, install=install, publish=publish, site_url=site_url)
    click.echo(f"Created a knowledge repository in {folder} ({len(started.written)} files, first commit made).")
    click.echo(f"CI installs wol with: pip install \"{started.install}\"")
    if started.install_note:
        click.secho(f"  {started.install_note}", fg="yellow")
    click.echo(f"CI checks every change and builds the site on main: {PUBLISH_NOTES[started.publish]}.")
    if not started.site_url:
        click.secho("  site_url is empty in mkdocs.yml: set it to the site's address before CI runs "
                    "`wol build --strict`, which refuses to build without it (feeds and the API need it).", fg="yellow")
    click.echo(f"Next: cd {folder} && wol serve   (then push it to GitHub or GitLab)")


# -- stats --
@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the verdict and every figure as JSON.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), default=None, help="Only documents dated on or after DATE.")
@click.option("--access-log", type=click.Path(exists=True, dir_okay=False), default=None,
              help="A web server access log (common or combined format): adds reads per document.")
@click.pass_context
def stats(ctx, as_json, since, access_log):
    """The health of the network: figures, the quadrant with its reasons, and one suggestion."""
    from .health.report import render_json, render_table
    from .commands.stats import load_health
    settings = settings_of(ctx)
    health = load_health(settings, since=since, access_log=access_log)
    if health.problems:
        first = health.problems[0]
        click.secho(f"{first.path}: {len(health.problems)} line(s) not in common or combined log format "
                    f"(first: line {first.line}); they are ignored", fg="yellow", err=True)
    click.echo(render_json(health.figures, health.verdict) if as_json
               else render_table(health.figures, health.verdict, settings.site_name), nl=False)


@main.command()
@click.argument("handle")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def forget(ctx, handle, yes):
    """Forget a person: remove their profile and votes, show their documents as by a former colleague (one commit)."""
    from .commands.forget import forget_person, render_erase_history
    settings = settings_of(ctx)
    if not yes and sys.stdin.isatty():
        click.confirm(f"Forget {handle}: remove their profile and votes, anonymise their documents, and commit?", abort=True)
    sha, plan = forget_person(settings, handle)
    prefix = settings.content_dir + "/"
    click.echo(f"Forgot them in one commit ({sha[:8]}); forgotten.txt holds a hash of the handle, not the handle.")
    for path in plan.removed:
        click.echo(f"  removed  {prefix}{path}")
    for old, new in plan.renamed.items():
        click.echo(f"  renamed  {prefix}{old} → {prefix}{new}")
    for where in plan.redacted:
        click.echo(f"  name replaced by \"a former colleague\" at {prefix}{where}")
    for line in plan.remaining:
        click.secho(f"  check by hand: {prefix}{line}", fg="yellow")
    click.echo()
    click.echo(render_erase_history(settings, handle.strip().lower().lstrip("@"), plan))


@main.command("export")
@click.argument("handle")
@click.argument("dest", type=click.Path(file_okay=False))
@click.pass_context
def export_cmd(ctx, handle, dest):
    """Export a person's documents, answers, votes and derived figures (Markdown + one JSON file)."""
    from .commands.export import export_person
    out = export_person(settings_of(ctx), handle, dest)
    click.echo(f"Exported to {out}")


# -- notify --
@main.command("notify")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to whom; send nothing, record nothing.")
@click.option("--since", default=None, metavar="REV",
              help="Derive events since this commit instead of the last run's (e.g. HEAD~1 on a first run).")
@click.option("--now", "at", type=click.DateTime(["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
              default=None, help="Run as if it were this UTC time (digests and the unanswered delay use it).")
@click.pass_context
def notify_cmd(ctx, dry_run, since, at):
    """Send notifications and digests of what is new since the last run, by e-mail and chat, exactly once."""
    from datetime import timezone
    from .commands.notify import notify, render_outcome
    settings = settings_of(ctx)
    when = (at if at.tzinfo else at.replace(tzinfo=timezone.utc)) if at else None
    outcome = notify(settings, dry_run=dry_run, since=since, now=when, echo=lambda m: click.echo(m, err=True))
    for note in outcome.notes:
        click.secho(f"wol: {note}", fg="yellow", err=True)
    click.echo(render_outcome(outcome, dry_run))
    if outcome.failed:
        sys.exit(1)
