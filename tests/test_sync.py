"""reader sync: libraries standing for machines, a local bare repository, real git."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from annotations.edits import Edits
from annotations.library import Library
from annotations.records import Note, Span, Tag
from annotations.sync import TEST_EXIT_ENV, Sync, SyncError
from reader.core.importing import import_samples
from tests.conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0,
    reason="needs the git command",
)


@pytest.fixture
def hub(tmp_path: Path) -> Path:
    path = tmp_path / "hub.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(path)], check=True)
    return path


def machine(tmp_path: Path, name: str, annotator: str, hub: Path, *, samples: bool) -> Library:
    library = Library(tmp_path / name, annotator=annotator)
    if samples:
        import_samples(library)
    Sync(library).link(str(hub))
    return library


def tags(library: Library, article_id: str) -> set[tuple[str, str]]:
    fresh = Library(library.folder, library.annotator)  # as another process reads it
    return {(t.annotator, t.tag) for t in fresh.records_for(Tag, article_id)}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "core.quotepath=false", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_two_machines_exchange_articles_and_annotations(tmp_path: Path, hub: Path):
    # git has no identity here (HOME is a fresh folder): sync sets author and committer itself
    assert subprocess.run(["git", "config", "user.name"], capture_output=True).returncode != 0
    laptop = machine(tmp_path, "laptop", "ayşe", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    text = laptop.load_article(first).text
    Edits(laptop).tag(first, "ekonomi")
    Edits(laptop).add_span(first, text, 0, 10, "PERSON", note="başlık")
    Edits(laptop).add_note(first, "İlk not")
    sent = Sync(laptop).run()
    assert sent.complete and sent.commit and sent.articles_out == 7 and sent.files_out == 1

    other = machine(tmp_path, "institute", "mehmet", hub, samples=False)
    came = Sync(other).run()
    assert came.complete and came.articles_in == 7 and came.records_in == {"ayşe": 3}
    assert other.article_index().keys() == laptop.article_index().keys()
    assert other.load_article(first).text == text  # the same canonical text, the same id
    assert tags(other, first) == {("ayşe", "ekonomi")}
    span = Library(other.folder, "mehmet").records_for(Span, first)[0]
    assert (span.quote, span.note, span.imported_by) == (text[:10], "başlık", "mehmet")

    Edits(other).tag(first, "spor")
    assert Sync(other).run().files_out == 1
    back = Sync(laptop).run()
    assert back.records_in == {"mehmet": 1} and back.commit is None  # nothing new to send
    assert tags(laptop, first) == {("ayşe", "ekonomi"), ("mehmet", "spor")}

    log = git(hub, "log", "--format=%an|%ae|%cn|%s", "main").splitlines()
    host = log[0].split("|")[1].split("@")[1]
    assert log == [
        f"mehmet|mehmet@{host}|mehmet|mehmet: annotations on 1 article",
        f"ayşe|ayşe@{host}|ayşe|ayşe: annotations on 1 article, 7 new articles",
    ]
    files = git(hub, "ls-tree", "-r", "--name-only", "main").splitlines()
    assert f"annotations/ayşe/{first}.yaml" in files and f"annotations/mehmet/{first}.yaml" in files
    assert len([f for f in files if f.startswith("articles/")]) == 7


def test_same_annotator_on_two_machines_merges_concurrent_changes(tmp_path: Path, hub: Path):
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first, second = sorted(laptop.article_index())[:2]
    Edits(laptop).tag(first, "old")
    Edits(laptop).tag(first, "keep")
    Sync(laptop).run()
    desktop = machine(tmp_path, "desktop", "ayse", hub, samples=False)
    assert Sync(desktop).run().records_in == {"ayse": 2}
    note = Edits(desktop).add_note(first, "taslak")
    Sync(desktop).run()
    Sync(laptop).run()

    # both sides change the same article file at once
    Edits(laptop).tag(first, "from-laptop")
    Edits(laptop).untag(first, "old")
    assert note is not None
    Edits(laptop).edit_note(note.records()[0].id, "laptop's text")  # edited first ...
    time.sleep(0.01)
    Edits(desktop).tag(first, "from-desktop")
    Edits(desktop).tag(second, "desktop-only")
    Edits(desktop).edit_note(note.records()[0].id, "desktop's text, newer")  # ... and here later

    # the laptop pushes while the desktop syncs: the desktop's first push is refused
    desktop_sync = Sync(desktop)
    pushed_first: list[str] = []

    def progress(step: str) -> None:
        if step == "pushing" and not pushed_first:
            pushed_first.append("laptop")
            Sync(laptop).run()

    report = desktop_sync.run(progress)
    assert pushed_first and report.complete and report.commit
    assert report.removed == 1  # the laptop's untag
    Sync(laptop).run()
    assert Sync(desktop).run().commit is None  # both the same now: nothing to send

    want = {("ayse", t) for t in ("keep", "from-laptop", "from-desktop")}
    assert tags(laptop, first) == tags(desktop, first) == want
    assert tags(laptop, second) == {("ayse", "desktop-only")}
    for library in (laptop, desktop):
        (kept,) = Library(library.folder, "ayse").records_for(Note, first)
        assert kept.text == "desktop's text, newer"  # the newest version, on both
    content = git(hub, "show", f"main:annotations/ayse/{first}.yaml")
    assert "<<<<<<<" not in content and "from-desktop" in content and "tag: old" not in content


def test_removals_reach_the_other_machines_and_an_edit_wins_over_a_removal(
    tmp_path: Path, hub: Path
):
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    Edits(laptop).tag(first, "a", "b")
    note = Edits(laptop).add_note(first, "bir")
    assert note is not None
    Sync(laptop).run()
    desktop = machine(tmp_path, "desktop", "ayse", hub, samples=False)
    colleague = machine(tmp_path, "colleague", "mehmet", hub, samples=False)
    Sync(desktop).run()
    Sync(colleague).run()
    assert tags(colleague, first) == {("ayse", "a"), ("ayse", "b")}

    note_id = note.records()[0].id
    Edits(laptop).untag(first, "a")
    Edits(laptop).delete_note(note_id)
    Edits(desktop).edit_note(note_id, "iki")  # changed on the other machine meanwhile
    Sync(desktop).run()  # first: its file still has the tag
    back = Sync(laptop).run()
    assert back.records_in == {"ayse": 1}  # the edited note: an edit wins over a removal
    assert Sync(desktop).run().removed == 1  # the tag stays removed, here too
    Sync(colleague).run()
    for library in (laptop, desktop, colleague):
        assert tags(library, first) == {("ayse", "b")}
        notes = Library(library.folder, library.annotator).records_for(Note, first)
        assert [n.text for n in notes] == ["iki"]
    Edits(laptop).untag(first, "b")  # the last record: the file goes
    Sync(laptop).run()
    assert f"annotations/ayse/{first}.yaml" in git(hub, "ls-tree", "-r", "--name-only", "main")
    Edits(laptop).delete_note(note_id)
    Sync(laptop).run()
    assert f"annotations/ayse/{first}" not in git(hub, "ls-tree", "-r", "--name-only", "main")
    Sync(colleague).run()
    assert tags(colleague, first) == set()


def test_unreachable_remote_and_refused_push_lose_nothing(tmp_path: Path, hub: Path):
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    Edits(laptop).tag(first, "offline")
    done = run_cli(
        "--annotator", "ayse", "sync", "init", str(tmp_path / "nowhere"), library=laptop.folder
    )
    assert done.returncode == 1 and "not linked" in done.stderr  # and the link stays as it was
    away = hub.with_name("moved.git")
    hub.rename(away)
    done = run_cli("--annotator", "ayse", "sync", library=laptop.folder)
    assert done.returncode == 1
    assert "cannot reach" in done.stderr and "nothing is lost" in done.stderr
    away.rename(hub)

    colleague = machine(tmp_path, "colleague", "mehmet", hub, samples=True)
    Edits(colleague).tag(first, "meanwhile")
    Sync(colleague).run()
    hook = hub / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'closed for the night' >&2\nexit 1\n")
    hook.chmod(0o755)
    done = run_cli("--annotator", "ayse", "sync", library=laptop.folder)
    assert done.returncode == 1 and "refused the push" in done.stderr
    assert "closed for the night" in done.stderr
    assert "received: 1 record from mehmet" in done.stderr  # what came in is said, and kept
    assert tags(laptop, first) == {("ayse", "offline"), ("mehmet", "meanwhile")}
    hook.unlink()

    done = run_cli("--annotator", "ayse", "sync", library=laptop.folder)
    assert done.returncode == 0, done.stderr
    assert "sent: 1 annotation file (commit" in done.stderr  # the articles were there
    assert "offline" in git(hub, "show", f"main:annotations/ayse/{first}.yaml")


def test_a_missing_or_broken_working_copy_is_made_again(tmp_path: Path, hub: Path):
    import shutil

    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    Edits(laptop).tag(first, "bir")
    Sync(laptop).run()
    desktop = machine(tmp_path, "desktop", "ayse", hub, samples=False)
    repo = laptop.folder / "sync" / "ayse" / "repo"
    for damage in ("missing", "no HEAD", "no config"):
        Sync(desktop).run()
        Edits(desktop).tag(first, f"desktop {damage}")  # the remote moves on meanwhile
        Sync(desktop).run()
        Edits(laptop).tag(first, damage)
        if damage == "missing":
            shutil.rmtree(repo)
        elif damage == "no HEAD":
            (repo / ".git" / "HEAD").unlink()
        else:
            (repo / ".git" / "config").write_text("")  # no remote, no refspec
        report = Sync(laptop).run()
        assert report.complete and report.commit, damage
        assert damage in git(hub, "show", f"main:annotations/ayse/{first}.yaml")
    damages = ("missing", "no HEAD", "no config")
    want = {"bir", *damages, *(f"desktop {d}" for d in damages)}
    assert tags(laptop, first) == {("ayse", t) for t in want}


def test_one_sync_at_a_time_and_hostile_remotes_refused(tmp_path: Path, hub: Path):
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=False)
    lock = laptop.folder / "sync" / "ayse" / "sync.lock"
    fd = os.open(lock, os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with pytest.raises(SyncError, match="another sync"):
            Sync(laptop).run()
    finally:
        os.close(fd)
    for url in ("--upload-pack=touch /tmp/x", "-oProxyCommand=x", "ext::sh -c x", "/tmp/a\nb"):
        done = run_cli("--annotator", "ayse", "sync", "init", "--", url, library=laptop.folder)
        assert done.returncode == 1 and "refused remote" in done.stderr


def test_a_hostile_repository_cannot_forge_text_or_records(tmp_path: Path, hub: Path):
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    Edits(laptop).tag(first, "real")
    Sync(laptop).run()
    # someone with write access to the repository changes a text and forges a record
    work = tmp_path / "evil"
    subprocess.run(["git", "clone", "-q", str(hub), str(work)], check=True)
    ids = sorted(laptop.article_index())
    article = work / "articles" / f"{ids[1]}.yaml"
    new_id = "0123456789abcdef"  # a copy under another id
    (work / "articles" / f"{new_id}.yaml").write_text(
        article.read_text().replace(f"id: {ids[1]}", f"id: {new_id}")
    )
    assert "yardım" in article.read_text()
    article.write_text(article.read_text().replace("yardım", "yardim"))  # a changed text
    forged = work / "annotations" / "mehmet" / f"{first}.yaml"
    forged.parent.mkdir(parents=True)
    ayse_file = (work / "annotations" / "ayse" / f"{first}.yaml").read_text()
    forged.write_text(ayse_file.replace("tag: real", 'tag: "\\e]52;c;aGk=\\aforged"'))
    subprocess.run(["git", "-C", str(work), "add", "-A"], check=True)
    env = {**os.environ, "GIT_AUTHOR_NAME": "x", "GIT_AUTHOR_EMAIL": "x@x"}
    env.update(GIT_COMMITTER_NAME="x", GIT_COMMITTER_EMAIL="x@x")
    subprocess.run(["git", "-C", str(work), "commit", "-qm", "evil"], check=True, env=env)
    subprocess.run(["git", "-C", str(work), "push", "-q"], check=True)

    other = machine(tmp_path, "other", "mehmet", hub, samples=False)
    report = Sync(other).run()
    assert not report.complete
    for refused in (new_id, ids[1]):
        assert f"articles/{refused}.yaml: its text is not the canonical text" in "".join(
            report.problems
        )
    assert any("is not mehmet's" in p for p in report.problems)  # ayşe's record in his file
    assert other.article_index().keys() == set(ids) - {ids[1]}
    assert tags(other, first) == {("ayse", "real")}


async def test_palette_sync_runs_in_a_worker_and_tells_what_came_in(tmp_path: Path, hub: Path):
    from reader.tui.app import ReaderApp

    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    first = sorted(laptop.article_index())[0]
    Edits(laptop).tag(first, "uzaktan")
    Sync(laptop).run()
    unlinked = ReaderApp(Library(tmp_path / "unlinked", "mehmet"), theme="okur-dark")
    other = ReaderApp(machine(tmp_path, "other", "mehmet", hub, samples=False), theme="okur-dark")
    said: dict[ReaderApp, list[str]] = {}
    for app in (unlinked, other):
        said[app] = []
        async with app.run_test(size=(100, 30)) as pilot:
            original = app.notify

            def notify(message: str, *, _app: ReaderApp = app, _n=original, **kw) -> None:
                said[_app].append(message)
                _n(message, **kw)

            app.notify = notify  # type: ignore[method-assign]
            await pilot.pause()
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"sync: git")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
    assert any("not linked to a git repository" in s for s in said[unlinked])
    assert any(s.startswith("Sync: fetching") for s in said[other])
    assert any("received: 7 articles; 1 record from ayse" in s for s in said[other])
    assert tags(other.library, first) == {("ayse", "uzaktan")}


def _sync_process(library: Path, annotator: str, env: dict[str, str] | None = None):
    full = {**os.environ, "READER_LIBRARY": str(library), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "--annotator", annotator, "sync"],
        cwd=ROOT,
        env=full,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill reaches git too
    )


STEPS = [
    "locked",
    "fetched",
    "reset",
    "imported-articles",
    "imported",
    "mid-export",
    "exported",
    "index-locked",
    "committed",
    "pushed",
]


QUICK_STEPS = ["imported-articles", "mid-export", "index-locked", "committed", "pushed"]


def test_a_sync_killed_after_any_step_loses_nothing(tmp_path: Path, hub: Path, full: bool):
    """The test hook ends the process right after each named step (``index-locked``: as git
    killed while it holds the index lock); the next sync cleans up and completes. Five steps
    (mid-export, git's index lock, between commit and push, ...); all ten with --full."""
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    desktop = machine(tmp_path, "desktop", "ayse", hub, samples=True)
    ids = sorted(laptop.article_index())
    steps = STEPS if full else QUICK_STEPS
    for n, step in enumerate(steps):
        Edits(desktop).tag(ids[n % 7], f"d-{step}")  # something to import ...
        Sync(desktop).run()
        Edits(laptop).tag(ids[n % 7], f"l-{step}")  # ... and something to send
        killed = _sync_process(laptop.folder, "ayse", {TEST_EXIT_ENV: step})
        assert killed.wait(timeout=60) == 99, killed.stderr.read() if killed.stderr else ""
        if step == "index-locked":
            assert (laptop.folder / "sync" / "ayse" / "repo" / ".git" / "index.lock").exists()
        report = Sync(laptop).run()
        assert report.complete, (step, report.problems)
    Sync(desktop).run()
    for library in (laptop, desktop):
        got = {t.tag for t in Library(library.folder, "ayse").records(Tag)}
        assert got == {f"{side}-{step}" for side in "dl" for step in steps}
    assert [p.name for p in (laptop.folder / "sync").rglob("*.lock")] == ["sync.lock"]
    subprocess.run(["git", "-C", str(hub), "fsck", "--no-progress"], check=True)


def test_sigkill_at_random_moments_loses_nothing(tmp_path: Path, hub: Path, full: bool):
    """A real SIGKILL of the sync and its git, at random moments (3 runs; 25 with --full)."""
    laptop = machine(tmp_path, "laptop", "ayse", hub, samples=True)
    desktop = machine(tmp_path, "desktop", "ayse", hub, samples=False)
    ids = sorted(laptop.article_index())
    rng = random.Random(14)
    runs, killed = (25 if full else 3), 0
    for n in range(runs):
        Edits(laptop).tag(ids[n % 7], f"t{n}")
        process = _sync_process(laptop.folder, "ayse")
        time.sleep(rng.uniform(0.15, 1.2))  # a sync: 0.3-1 s (python starts in 0.15)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
        if n % 2:
            Sync(desktop).run()
    assert Sync(laptop).run().complete
    Sync(desktop).run()
    got = {t.tag for t in Library(desktop.folder, "ayse").records(Tag)}
    assert got == {f"t{n}" for n in range(runs)}
    print(f"{killed} of {runs} syncs killed before they ended")
