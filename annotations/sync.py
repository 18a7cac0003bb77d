"""``reader sync``: a library's annotations and articles through a git repository.

The repository (docs/sharing.md):

- ``annotations/<annotator>/<article-id>.yaml``: YAML v1 (annotations/yamlio.py) with that
  annotator's own records on that article, and nothing else; written only by that annotator;
- ``articles/<article-id>.yaml``: an article's canonical text, its blocks and metadata, written
  once by whoever syncs it first (an id names one text forever).

The library is the truth, the working copy a view of it: each sync starts the working copy
from the remote's branch (``git reset --hard``), imports what changed there since the last
sync (articles first, then records by the import rules), writes this annotator's files from
the library, commits on top of the remote's branch and pushes. Nothing needs a git merge, so
there are never conflict markers; a commit that was not pushed (a kill, a refused push, no
network) is made again from the library by the next sync. A sync killed at any point loses
nothing the library holds, and the next one removes what git left (its lock files) and
completes.

In the library: ``sync/<annotator>/repo`` (the working copy), ``sync/<annotator>/state.json``
(the remote, and the commit last imported: the *base*), ``sync/<annotator>/sync.lock``
(``flock``: one sync of a library per annotator at a time).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from annotations.annotation_store import safe_name
from annotations.errors import LibraryError, LibraryWriteError
from annotations.gitrepo import Git, Identity, check_remote, tail
from annotations.journal import Op
from annotations.library import Library
from annotations.merge import Entry, MergeReport, merge, validate
from annotations.model import Article
from annotations.records import KINDS, Record
from annotations.safeyaml import YamlInputError, load_untrusted, loads_untrusted
from annotations.sanitize import clean, clean_line
from annotations.storage import atomic_write_bytes, make_folder
from annotations.yamlio import FORMAT, VERSION, dump, export_document

BRANCH = "main"
REMOTE_REF = f"refs/remotes/origin/{BRANCH}"
ARTICLE_FORMAT = "reader-article"
ARTICLE_VERSION = 1
PUSH_ATTEMPTS = 3  # a push refused because someone pushed first: fetch, import, retry
#: test hook: the process ends (``os._exit``) right after the named step (docs/sharing.md)
TEST_EXIT_ENV = "READER_SYNC_TEST_EXIT_AFTER"
BLOCK_KINDS = ("title", "lede", "subheading", "paragraph")
ARTICLE_FIELDS = ("source", "date", "published", "updated", "agency", "url")
_ID = re.compile(r"[0-9a-f]{16}")
_REJECTED = ("[rejected]", "non-fast-forward", "fetch first", "stale info")

Progress = Callable[[str], None]


class SyncError(LibraryError):
    """Sync could not finish; the message says why, and that nothing was lost. ``report``:
    what had come in by then (imports are kept), when the sync got that far."""

    report: SyncReport | None = None


@dataclass
class SyncReport:
    """What came in and what went out."""

    articles_in: int = 0
    records_in: dict[str, int] = field(default_factory=dict)  # by annotator
    replaced: int = 0  # newer versions of records the library had
    removed: int = 0  # records removed on the remote by their annotator
    files_out: int = 0  # annotation files changed (written or removed)
    articles_out: int = 0
    commit: str | None = None  # pushed
    reanchored: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems

    def lines(self, me: str) -> list[str]:
        """For the user: problems, what came in, what went out."""
        out = self.received(me)
        if self.commit:
            sent = [_count(self.files_out, "annotation file")] if self.files_out else []
            sent += [_count(self.articles_out, "article")] if self.articles_out else []
            out.append(f"sent: {', '.join(sent) or 'a commit'} (commit {self.commit[:10]})")
        else:
            out.append("sent: nothing new")
        return out

    def received(self, me: str) -> list[str]:
        """Problems and what came in (also said when the push then failed)."""
        out = [f"problem: {p}" for p in self.problems]
        got = []
        if self.articles_in:
            got.append(_count(self.articles_in, "article"))
        for who, n in sorted(self.records_in.items()):
            got.append(f"{_count(n, 'record')} {'of yours' if who == me else 'from ' + who}")
        if self.replaced:
            got.append(f"{self.replaced} updated")
        if self.removed:
            got.append(f"{self.removed} removed")
        if self.reanchored:
            got.append(f"{self.reanchored} passages re-anchored")
        out.append("received: " + ("; ".join(got) if got else "nothing new"))
        return out


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _step(name: str) -> None:
    """The test hook (TEST_EXIT_ENV): end the process here, as a kill would."""
    if os.environ.get(TEST_EXIT_ENV) == name:
        os._exit(99)


class Sync:
    """The sync of one library, for its annotator."""

    def __init__(self, library: Library, *, terminal: bool = True) -> None:
        """``terminal=False`` (the app): git and ssh get no terminal to ask questions on."""
        self.library = library
        self.me = library.annotator
        self.mine = safe_name(self.me)
        self.folder = library.folder / "sync" / self.mine
        self.repo = self.folder / "repo"
        self.state_path = self.folder / "state.json"
        self.git = Git(self.repo, Identity.of(self.me, self.mine), terminal=terminal)

    # -- state ---------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        try:
            data = orjson.loads(self.state_path.read_bytes())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise SyncError(f"{self.state_path} cannot be read ({exc}): run sync init") from exc
        return data if isinstance(data, dict) else {}

    def _save_state(self, state: dict[str, Any]) -> None:
        atomic_write_bytes(self.state_path, orjson.dumps(state), mode=0o600)

    @property
    def remote(self) -> str | None:
        remote = self.state().get("remote")
        return remote if isinstance(remote, str) else None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self._make_folders()
        path = self.folder / "sync.lock"
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise LibraryWriteError(path, exc) from exc
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SyncError(
                    "another sync of this library is running; try again when it has finished"
                ) from None
            yield
        finally:
            os.close(fd)  # releases the lock

    def _make_folders(self) -> None:
        make_folder(self.folder.parent)
        try:
            self.folder.mkdir(mode=0o700, exist_ok=True)  # the URL may hold credentials
        except OSError as exc:
            raise LibraryWriteError(self.folder, exc) from exc

    # -- link ----------------------------------------------------------------------------
    def link(self, remote: str) -> str:
        """Link the library to ``remote`` (checked reachable); returns a message."""
        url = check_remote(remote)
        if "://" not in url and Path(url).exists():
            url = str(Path(url).resolve())  # a path: independent of where sync runs
        with self._locked():
            self._ensure_repo()
            probe = self.git.run("ls-remote", "--heads", "--", url, check=False)
            if probe.returncode != 0:
                raise SyncError(f"cannot reach {url}: {tail(probe.stderr)}; not linked")
            self.git.run("config", "--", "remote.origin.url", url)
            old = self.state()
            state = {"remote": url, "base": old.get("base") if old.get("remote") == url else None}
            self._save_state(state)
        what = "an empty repository" if not probe.stdout.strip() else "a repository with work in it"
        folder = self.library.folder.resolve()
        return f"linked {folder} to {url} ({what}); next: reader sync"

    # -- the working copy ----------------------------------------------------------------
    def _ensure_repo(self) -> None:
        """A usable working copy, made afresh when missing or broken (it holds nothing the
        library and the remote do not)."""
        usable = (self.repo / ".git" / "HEAD").exists()
        if usable and self.git.run("rev-parse", "--git-dir", check=False).returncode == 0:
            return
        url = None
        with contextlib.suppress(OSError, ValueError):
            url = self.remote
        shutil.rmtree(self.repo, ignore_errors=True)
        self.repo.mkdir(mode=0o700, parents=True)
        self.git.run("init", "-q")
        self.git.run("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}")
        if url:
            self.git.run("config", "--", "remote.origin.url", url)

    def _recover(self) -> None:
        """Under our flock, no git runs in the working copy: lock files are what a killed
        git left behind."""
        git_dir = self.repo / ".git"
        for name in ("index.lock", "HEAD.lock", "config.lock", "packed-refs.lock", "shallow.lock"):
            with contextlib.suppress(FileNotFoundError):
                (git_dir / name).unlink()
        refs = git_dir / "refs"
        if refs.is_dir():
            for lock in refs.rglob("*.lock"):
                with contextlib.suppress(FileNotFoundError):
                    lock.unlink()

    def _start_from(self, commit: str | None) -> None:
        """The working copy as the remote's branch (or empty), nothing else in it."""
        if commit is not None:
            self.git.run("reset", "-q", "--hard", commit)
        else:
            self.git.run("update-ref", "-d", f"refs/heads/{BRANCH}", check=False)
            self.git.run("read-tree", "--empty")
        self.git.run("clean", "-q", "-f", "-d", "-x")

    # -- sync ----------------------------------------------------------------------------
    def run(self, progress: Progress | None = None) -> SyncReport:
        """Export, commit, fetch, import, push. Raises SyncError (nothing lost) when the
        remote cannot be reached or refuses the push."""
        tell = progress or (lambda _: None)
        report = SyncReport()
        with self._locked():
            state = self.state()
            remote = state.get("remote")
            if not isinstance(remote, str):
                raise SyncError("this library is not linked: run reader sync init REMOTE")
            self._ensure_repo()
            self._recover()
            self.git.run("config", "--", "remote.origin.url", remote)  # the state decides
            _step("locked")
            try:
                return self._rounds(remote, state, report, tell)
            except SyncError as exc:
                exc.report = report
                raise

    def _rounds(
        self, remote: str, state: dict[str, Any], report: SyncReport, tell: Progress
    ) -> SyncReport:
        """Fetch, import, export, commit, push; again when the push was refused because
        someone pushed first."""
        for _attempt in range(PUSH_ATTEMPTS):
            tell(f"fetching from {remote}")
            self._fetch(remote)
            _step("fetched")
            incoming = self.git.rev(REMOTE_REF)
            self._start_from(incoming)
            _step("reset")
            base = state.get("base")
            if base is not None and self.git.rev(base) is None:
                base = None  # the working copy was made again: treat all as new
            if incoming is not None and incoming != base:
                tell("importing what came in")
                self._import(base, incoming, report)
                state["base"] = incoming
                self._save_state(state)
            _step("imported")
            tell("exporting your annotations")
            self._export(report)
            _step("exported")
            if not self._commit(report):
                report.commit = None
                return report  # nothing to send
            _step("committed")
            tell("pushing")
            if self._push(remote):
                head = self.git.rev("HEAD")
                report.commit = head
                state["base"] = head
                self._save_state(state)
                _step("pushed")
                return report
            report.files_out = report.articles_out = 0  # counted again on the next try
        raise SyncError(
            f"{remote} refused the push {PUSH_ATTEMPTS} times (others kept pushing first); "
            "nothing is lost: run reader sync again"
        )

    def _fetch(self, remote: str) -> None:
        refspec = "+refs/heads/*:refs/remotes/origin/*"  # given, not read from the config
        done = self.git.run("fetch", "-q", "--no-tags", "origin", refspec, check=False)
        if done.returncode != 0:
            raise SyncError(
                f"cannot reach {remote}: {tail(done.stderr)}; nothing is lost: your work stays "
                "in the library and goes out with the next sync"
            )

    def _push(self, remote: str) -> bool:
        """True when pushed; False when refused because the remote moved on (retry)."""
        target = f"HEAD:refs/heads/{BRANCH}"
        done = self.git.run("push", "-q", "--porcelain", "origin", target, check=False)
        if done.returncode == 0:
            return True
        said = (done.stdout + done.stderr).decode("utf-8", "replace")
        if any(mark in said for mark in _REJECTED) and "remote rejected" not in said:
            return False
        why = tail(done.stderr) if done.stderr.strip() else tail(done.stdout)
        raise SyncError(
            f"{remote} refused the push: {why}; nothing is lost: the next sync tries again"
        )

    # -- import ----------------------------------------------------------------------------
    def _changed(self, base: str | None, incoming: str) -> list[str]:
        if base is None:
            listing = self.git.run("ls-tree", "-r", "-z", "--name-only", incoming).stdout
        else:
            listing = self.git.run(
                "diff", "--name-only", "-z", "--no-renames", base, incoming
            ).stdout
        return [p.decode("utf-8", "replace") for p in listing.split(b"\0") if p]

    def _import(self, base: str | None, incoming: str, report: SyncReport) -> None:
        paths = self._changed(base, incoming)
        articles = []
        known = self.library.article_index()
        for path in paths:
            parts = path.split("/")
            if len(parts) != 2 or parts[0] != "articles" or not parts[1].endswith(".yaml"):
                continue
            article_id = parts[1].removesuffix(".yaml")
            if article_id in known or not (self.repo / path).is_file():
                continue
            try:
                articles.append(read_article(self.repo / path, article_id, path))
            except YamlInputError as exc:
                report.problems.append(str(exc))
        if articles:
            report.articles_in += len(self.library.add_articles(articles).added)
        _step("imported-articles")
        files = [p for p in paths if _annotation_file(p) is not None]
        olds = self.git.blobs([f"{base}:{p}" for p in files]) if base else {}
        self._import_records(files, olds, base, report)

    def _import_records(
        self,
        files: list[str],
        olds: dict[str, bytes | None],
        base: str | None,
        report: SyncReport,
    ) -> None:
        lib = self.library
        local = {kind: {r.id: r for r in lib.records(cls)} for kind, cls in KINDS.items()}
        journal = lib.annotation_store.journal(self.me)
        journal.refresh()
        in_journal = {kind: set(ids) for kind, ids in journal.state().items()}
        deletions: list[Op] = []
        entries: list[Entry] = []
        for path in files:
            who, article_id = _annotation_file(path) or ("", "")
            here = self.repo / path
            try:
                now_entries = _read_records(here, path) if here.is_file() else []
            except YamlInputError as exc:
                report.problems.append(f"{exc} (skipped)")
                continue
            blob = olds.get(f"{base}:{path}") if base else None
            before = _records_of(_parse_old(blob, path), who, article_id) if blob else {}
            own = who == self.mine
            now_records = _records_of(now_entries, who, article_id, report.problems, path)
            add: list[Record] = []
            for key, record in now_records.items():
                have = local[key[0]].get(key[1])
                old = before.get(key)
                if have is None:
                    if own and old is not None and old.meaning() == record.meaning():
                        continue  # you removed it here since the last sync: it stays removed
                    add.append(record)
                elif have.meaning() != record.meaning():
                    if own and not _newer(record, have):
                        continue  # yours here is newer: it goes out with this sync
                    deletions.append(Op(key[0], deleted=key[1]))
                    add.append(record)
                    report.replaced += 1
            for key, old in before.items():
                if key in now_records or key[1] not in in_journal.get(key[0], set()):
                    continue
                have = local[key[0]].get(key[1])
                if have is None or (own and have.meaning() != old.meaning()):
                    continue  # changed here since: the change wins over the removal
                deletions.append(Op(key[0], deleted=key[1]))
                report.removed += 1
            if add:
                entry = now_entries[0]
                entries.append(Entry(article_id, entry.content_sha256, entry.title, add))
                fresh = sum(1 for r in add if r.id not in local[r.KIND])
                if fresh:
                    name = _name_of(who)
                    report.records_in[name] = report.records_in.get(name, 0) + fresh
        if deletions:
            lib.write(deletions)
        if entries:
            merged = merge(lib, entries, "the repository")
            _merge_problems(merged, report)

    # -- export ----------------------------------------------------------------------------
    def _export(self, report: SyncReport) -> None:
        """Write this annotator's files from the library: one per article with their
        records (files of articles left with none are removed), and each article once."""
        folder = self.repo / "annotations" / self.mine
        document = export_document(self.library, annotator=self.me)
        wanted: dict[str, bytes] = {}
        for entry in document["articles"]:
            stamps = [
                r.get("updated") or r.get("created") or ""
                for key in ("tags", "spans", "notes", "entities", "done", "gold")
                for r in entry.get(key, [])
            ]
            one = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": max(stamps, default=""),  # the newest record: diffs stay empty
                "text_model": document["text_model"],
                "articles": [entry],
            }
            wanted[f"{entry['id']}.yaml"] = dump(one).encode("utf-8")
        if wanted or folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
        if folder.exists():
            for path in folder.iterdir():
                if path.name not in wanted:
                    path.unlink()
        for name, data in wanted.items():
            path = folder / name
            if not path.exists() or path.read_bytes() != data:
                _write(path, data)
        _step("mid-export")
        articles = self.repo / "articles"
        for article_id in sorted(self.library.article_index()):
            path = articles / f"{article_id}.yaml"
            if path.exists():
                continue  # write-once: an id names one text
            try:
                article = self.library.load_article(article_id)
            except LibraryError as exc:
                report.problems.append(f"article {article_id} not sent: {exc}")
                continue
            articles.mkdir(exist_ok=True)
            _write(path, dump(article_document(article)).encode("utf-8"))

    def _commit(self, report: SyncReport) -> bool:
        self.git.run("add", "-A", "--", ".")
        if os.environ.get(TEST_EXIT_ENV) == "index-locked":
            _hold_index_lock(self.repo)
        status = self.git.run("diff", "--cached", "--name-status", "-z", "--no-renames").stdout
        fields = [f.decode("utf-8", "replace") for f in status.split(b"\0") if f]
        changes = list(zip(fields[::2], fields[1::2], strict=False))
        if not changes:
            return False
        index = self.library.article_index()
        files = [(s, p) for s, p in changes if p.startswith("annotations/")]
        new_articles = [p for s, p in changes if p.startswith("articles/") and s == "A"]
        report.files_out = len(files)
        report.articles_out = len(new_articles)
        subject = [f"annotations on {_count(len(files), 'article')}"] if files else []
        if new_articles:
            subject.append(f"{_count(len(new_articles), 'new article')}")
        lines = []
        for status_letter, path in files[:50]:
            article_id = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            what = {"A": "new", "D": "removed"}.get(status_letter, "changed")
            title = clean_line(str(index.get(article_id, {}).get("title") or ""))[:70]
            lines.append(f"- {article_id} ({what}): {title}")
        for path in new_articles[:50]:
            article_id = path.rsplit("/", 1)[-1].removesuffix(".yaml")
            title = clean_line(str(index.get(article_id, {}).get("title") or ""))[:70]
            lines.append(f"+ article {article_id}: {title}")
        message = f"{self.git.identity.name}: {', '.join(subject)}\n\n" + "\n".join(lines) + "\n"
        self.git.run("commit", "-q", "--no-verify", "-F", "-", stdin=message.encode("utf-8"))
        return True


def _hold_index_lock(repo: Path) -> None:
    """Test hook: what a git killed while it writes the index leaves behind."""
    fd = os.open(repo / ".git" / "index.lock", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    os.write(fd, b"DIRC")
    os._exit(99)


def _write(path: Path, data: bytes) -> None:
    # the working copy is a view of the library: no fsync (a kill is repaired by the next sync)
    atomic_write_bytes(path, data, sync_dir=False, sync_file=False)


def _annotation_file(path: str) -> tuple[str, str] | None:
    """``(annotator file name, article id)`` of ``annotations/<who>/<id>.yaml``."""
    parts = path.split("/")
    if len(parts) != 3 or parts[0] != "annotations" or not parts[2].endswith(".yaml"):
        return None
    article_id = parts[2].removesuffix(".yaml")
    return (parts[1], article_id) if _ID.fullmatch(article_id) else None


def _name_of(who: str) -> str:
    """The person's name from a safe file name (``%XX`` decoded)."""
    from urllib.parse import unquote

    return unquote(who)


def _read_records(path: Path, name: str) -> list[Entry]:
    return validate(load_untrusted(path), name)


def _parse_old(blob: bytes, name: str) -> list[Entry]:
    try:
        return validate(loads_untrusted(blob.decode("utf-8-sig"), name), name)
    except (YamlInputError, UnicodeDecodeError):
        return []  # the last version could not be read: nothing is taken as removed


def _records_of(
    entries: list[Entry],
    who: str,
    article_id: str,
    problems: list[str] | None = None,
    path: str = "",
) -> dict[tuple[str, str], Record]:
    """The records of one annotator's file that are theirs, on its article."""
    out: dict[tuple[str, str], Record] = {}
    for entry in entries:
        for record in entry.records:
            if entry.id != article_id or safe_name(record.annotator) != who:
                if problems is not None:
                    problems.append(
                        f"{path}: {record.KIND} {record.id} is not {_name_of(who)}'s on this "
                        "article (skipped)"
                    )
                continue
            out[(record.KIND, record.id)] = record
    return out


def _newer(incoming: Record, have: Record) -> bool:
    """The same annotator's record changed on two machines: the newest wins (ties: the same
    choice on both machines)."""
    a = (getattr(incoming, "updated", None) or incoming.created, repr(incoming.meaning()))
    b = (getattr(have, "updated", None) or have.created, repr(have.meaning()))
    return a > b


def _merge_problems(merged: MergeReport, report: SyncReport) -> None:
    report.problems += [f"unknown article {line}" for line in merged.unknown_articles]
    report.problems += [f"conflict: {line}" for line in merged.conflicts]
    report.problems += [f"orphaned (text changed, not found): {x}" for x in merged.orphaned]
    report.reanchored += len(merged.reanchored)


# -- articles in the repository ------------------------------------------------------------
def article_document(article: Article) -> dict[str, Any]:
    """An article as the repository keeps it: the canonical text, its blocks and metadata
    (not where it was imported from)."""
    doc: dict[str, Any] = {
        "format": ARTICLE_FORMAT,
        "version": ARTICLE_VERSION,
        "id": article.id,
        "content_sha256": article.content_sha256,
        "title": article.title,
    }
    for name in ARTICLE_FIELDS:
        value = getattr(article, name)
        if value:
            doc[name] = value
    if article.keywords:
        doc["keywords"] = list(article.keywords)
    doc["blocks"] = [f"{b.kind} {b.start} {b.end}" for b in article.blocks]
    doc["text"] = article.text
    return doc


def read_article(path: Path, article_id: str, name: str = "") -> Article:
    """An article file of the repository (untrusted): its text must be canonical and hash to
    its id, or it is refused. Errors name the file as ``name`` (its path in the repository)."""
    name = name or str(path)
    try:
        doc = load_untrusted(path)
    except YamlInputError as exc:
        raise YamlInputError(str(exc).replace(str(path), name, 1)) from exc
    if not isinstance(doc, dict) or doc.get("format") != ARTICLE_FORMAT:
        raise YamlInputError(f"{name}: not a {ARTICLE_FORMAT} file")
    version = doc.get("version")
    if not (isinstance(version, str) and version.isdigit()) or int(version) > ARTICLE_VERSION:
        raise YamlInputError(f"{name}: version {version!r} is not one this program reads")
    text, blocks = doc.get("text"), doc.get("blocks")
    if not isinstance(text, str) or not isinstance(blocks, list) or not blocks:
        raise YamlInputError(f"{name}: needs 'text' and 'blocks'")
    parts: list[tuple[str, str]] = []
    for i, block in enumerate(blocks, start=1):
        words = block.split() if isinstance(block, str) else []
        if not (
            len(words) == 3
            and words[0] in BLOCK_KINDS
            and all(w.isascii() and w.isdigit() for w in words[1:])
        ):
            raise YamlInputError(f"{name}: blocks[{i}] is not 'kind start end'")
        parts.append((words[0], text[int(words[1]) : int(words[2])]))
    if parts[0][0] != "title":
        raise YamlInputError(f"{name}: the first block is not the title")
    lede = parts[1][1] if len(parts) > 1 and parts[1][0] == "lede" else ""
    rest = parts[2:] if lede else parts[1:]
    meta = {k: clean_line(v) or None for k in ARTICLE_FIELDS if isinstance(v := doc.get(k), str)}
    keywords = doc.get("keywords")
    article = Article(
        title=parts[0][1],
        lede=lede,
        paragraphs=rest,
        source=meta.get("source"),
        date=meta.get("date"),
        published=meta.get("published"),
        updated=meta.get("updated"),
        agency=meta.get("agency"),
        url=meta.get("url"),
        keywords=[clean_line(k) for k in keywords if isinstance(k, str)]
        if isinstance(keywords, list)
        else [],
    )
    if clean(text) != text or article.text != text or article.id != article_id:
        raise YamlInputError(
            f"{name}: its text is not the canonical text of article {article_id} (refused)"
        )
    return article
