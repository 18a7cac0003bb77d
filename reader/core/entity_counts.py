"""Entity mentions per article, recognised once and kept in a cache file per library.

Recognition takes about 1.5-3 ms per 4 KB article: 15-30 s for 10,000 articles, too slow
for a statistics screen that must show in a second. So each article's mention counts
(surface, label, mentions: the rules' output, before anyone's corrections) are appended to
``<user cache>/entities/<library hash>.jsonl`` as they are counted, and after each counting
run the file is compacted into one line of totals (what ``reader stats`` reads: the ids
counted, and per surface and label the mentions and the articles):

    {"format": "haber-okur-entity-counts", "recognizer": "<version>"}
    {"sum": [["Ankara", "LOC", 5120, 3011], ...], "ids": ["c80522fe43520d13", ...]}
    {"id": "0e4f11aa20b1c3d5", "e": [["Ankara", "LOC", 3], ...]}

The recogniser version is a hash of the recogniser's code and gazetteers: when either changes,
the file is started anew. Corrections are applied when the counts are read (a removed surface
is dropped, a relabelled one takes its new label); mentions that only a correction adds are
not counted. The file is the user's own (not in a team library's folder, where others could
not replace it); two processes appending at once hold a ``flock`` for each batch.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from importlib import resources
from pathlib import Path

import orjson

from annotations.errors import ArticleNotFound
from annotations.library import Library
from annotations.records import EntityCorrection
from annotations.stats import EntityTotals
from reader.core.location import APP_NAME

FORMAT = "haber-okur-entity-counts"
BATCH = 200  # articles counted between two appends (and two progress reports)


@cache
def recognizer_version() -> str:
    """A hash of the recogniser's code and gazetteer files."""
    digest = hashlib.sha256()
    package = resources.files("reader.entities")
    files = [p for p in package.iterdir() if p.name.endswith(".py")]
    files += [p for p in (package / "data").iterdir() if p.name.endswith(".txt")]
    for item in sorted(files, key=lambda p: p.name):
        digest.update(item.name.encode() + b"\0" + item.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def cache_path(library: Library) -> Path:
    from platformdirs import user_cache_path

    folder = library.folder.resolve()
    with contextlib.suppress(OSError):  # a library made anew in the same place: a new cache
        folder = folder / str(folder.stat().st_ino)
    digest = hashlib.sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()
    return user_cache_path(APP_NAME) / "entities" / f"{digest[:16]}.jsonl"


def mentions_of(library: Library, article_id: str) -> list[tuple[str, str, int]]:
    """Recognise one article's entities and count them by (surface, label)."""
    from reader.entities import recognize

    article = library.load_article(article_id)
    found = Counter((e.text, e.label) for e in recognize(article.text, article.keywords))
    return [(surface, label, n) for (surface, label), n in found.items()]


Key = tuple[str, str]  # (surface, label)


class EntityCounts:
    """The cache of one library (read incrementally: only what was appended since)."""

    def __init__(self, library: Library, path: Path | None = None) -> None:
        self.library = library
        self.path = path or cache_path(library)
        self.version = recognizer_version()
        self._lock = threading.RLock()  # the app's workers share one
        self._offline = False  # the cache cannot be written: counts live in this object only
        self._reset()

    def _reset(self) -> None:
        self.ids: set[str] = set()  # articles counted
        self.totals: dict[Key, list[int]] = {}  # (surface, label) -> [mentions, articles]
        self._seen: tuple[int, int] | None = None  # (inode, bytes read)
        self._current = False  # the file's header names this recogniser

    def refresh(self) -> None:
        """Read what was appended since the last call (all of it when the file is new)."""
        with self._lock:
            if not self._offline:
                self._refresh()

    def _refresh(self) -> None:
        try:
            with open(self.path, "rb") as handle:
                inode = os.fstat(handle.fileno()).st_ino
                if self._seen is None or self._seen[0] != inode:
                    self._reset()
                    self._seen = (inode, 0)
                handle.seek(self._seen[1])
                data = handle.read()
        except OSError:
            self._reset()
            return
        end = data.rfind(b"\n") + 1  # a line cut short by a killed writer: not yet
        for line in data[:end].splitlines():
            self._read_line(line)
        self._seen = (inode, self._seen[1] + end)

    def _read_line(self, line: bytes) -> None:
        try:
            row = orjson.loads(line)
            if row.get("format") == FORMAT:
                self._current = row.get("recognizer") == self.version
            elif not self._current:
                return
            elif "sum" in row:
                rows = [((str(s), str(lb)), int(m), int(a)) for s, lb, m, a in row["sum"]]
                self.ids.update(map(str, row["ids"]))
                for key, mentions, articles in rows:
                    self._add(key, mentions, articles)
            elif row["id"] not in self.ids:
                found = [((str(s), str(lb)), int(m)) for s, lb, m in row["e"]]
                self.ids.add(str(row["id"]))
                for key, mentions in found:
                    self._add(key, mentions, 1)
        except (ValueError, KeyError, TypeError, AttributeError):
            pass  # a damaged line: that article is counted again

    def _add(self, key: Key, mentions: int, articles: int) -> None:
        total = self.totals.get(key)
        if total is None:
            self.totals[key] = [mentions, articles]
        else:
            total[0] += mentions
            total[1] += articles

    def current(self) -> EntityTotals:
        """What is counted so far, with everyone's corrections applied."""
        self.refresh()
        corrections = self.library.records(EntityCorrection)
        totals = _corrected(self.totals, corrections) if corrections else self.totals
        return EntityTotals(frozenset(self.ids), {key: (m, a) for key, (m, a) in totals.items()})

    def missing(self) -> list[str]:
        """The library's articles not counted yet."""
        index = self.library.article_index()
        with self._lock:
            self.refresh()
            return [i for i in index if i not in self.ids]

    def count(
        self,
        article_ids: Iterable[str],
        *,
        budget: float | None = None,
        cancelled: Callable[[], bool] = lambda: False,
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Recognise and store the articles given, in batches, until done, ``budget`` seconds
        have passed or ``cancelled()``; then compact the file. Returns how many were counted."""
        start = time.perf_counter()
        batch: list[bytes] = []
        done = 0
        for article_id in article_ids:
            if cancelled() or (budget is not None and time.perf_counter() - start > budget):
                break
            try:
                found = mentions_of(self.library, article_id)
            except ArticleNotFound:
                found = []  # no text: nothing to count, and not again
            batch.append(orjson.dumps({"id": article_id, "e": found}) + b"\n")
            done += 1
            if len(batch) >= BATCH:
                self._write(b"".join(batch))
                batch = []
                if progress is not None:
                    progress(done)
        if batch:
            self._write(b"".join(batch))
        if done:
            self._write(b"", compact=True)
        return done

    def _write(self, lines: bytes, *, compact: bool = False) -> None:
        """Append ``lines`` (or compact the file into its totals) under the file's lock."""
        with self._lock:
            if not self._offline:
                try:
                    self._write_file(lines, compact)
                    self.refresh()
                    return
                except OSError:
                    self._offline = True  # read-only or full: counted for this process only
                    if not self._current:
                        self._reset()
                        self._current = True
            for line in lines.splitlines():
                self._read_line(line)

    def _write_file(self, lines: bytes, compact: bool) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = self._locked()
        try:
            self._refresh()  # what others appended meanwhile; whether the header is ours
            if compact or not self._current:
                self._replace(lines)
            else:
                os.write(fd, lines)
        finally:
            os.close(fd)

    def _locked(self) -> int:
        """The file, open for appending and locked (the file now at the path, not one that
        another process replaced while we waited for the lock)."""
        while True:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                if os.stat(self.path).st_ino == os.fstat(fd).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            os.close(fd)

    def _replace(self, lines: bytes) -> None:
        """A new file: the header, the totals with ``lines`` added (the lock is held)."""
        if not self._current:  # no file yet, or another recogniser's counts: start anew
            self._reset()
            self._current = True
        for line in lines.splitlines():
            self._read_line(line)
        header = orjson.dumps({"format": FORMAT, "recognizer": self.version})
        rows = [[s, lb, m, a] for (s, lb), (m, a) in self.totals.items()]
        data = header + b"\n" + orjson.dumps({"sum": rows, "ids": sorted(self.ids)}) + b"\n"
        temp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(temp, self.path)
        self._seen = None  # the next refresh reads the new file whole


def _corrected(
    totals: dict[Key, list[int]], corrections: list[EntityCorrection]
) -> dict[Key, list[int]]:
    """Totals as the corrections have them: a removed surface dropped, a relabelled one under
    its new label (an article that had both labels then counts twice)."""
    from reader.entities import gazetteer
    from reader.entities.corrections import latest_by_surface

    latest = latest_by_surface(corrections)
    out: dict[Key, list[int]] = {}
    for (surface, label), (mentions, articles) in totals.items():
        record = latest.get(gazetteer.key(surface))
        if record is not None and record.action == "remove":
            continue
        if record is not None and record.action == "relabel":
            label = record.label or label
        total = out.setdefault((surface, label), [0, 0])
        total[0] += mentions
        total[1] += articles
    return out
