"""The one TinyDB storage every process uses for every library file.

Rules (see TRAPS.md): a blocking ``flock`` on a sidecar lock file around each
read-modify-write; reload when (inode, mtime_ns, size) changed; write a temp file in the
same folder, fsync, ``os.replace``, fsync the folder; never keep the data file open; keep
a hard-linked backup of the last good state; never overwrite a file that fails to parse.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
import time
from collections.abc import Container, Iterator
from pathlib import Path
from typing import Any

import orjson

from annotations.errors import LibraryError, LibraryWriteError, SchemaTooNewError

META_TABLE = "_meta"
TEMP_MARK = ".tmp-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def is_team_folder(folder: Path) -> bool:
    """A folder other users can write: a team library (docs/design.md, "Team libraries")."""
    try:
        return bool(os.stat(folder).st_mode & 0o022)
    except FileNotFoundError:
        return False


def file_mode(folder: Path | None = None, *, private: bool = False) -> int:
    """Mode for a new file in ``folder``: writable only by its creator, whatever the umask; in
    a team folder readable by the group (not by others); ``private``: only you."""
    if private:
        return 0o600
    if folder is not None and is_team_folder(folder):
        return 0o640  # the group reads, only you write; the folders keep everyone else out
    return 0o666 & ~_umask() & ~0o022  # a personal library: yours alone to write


def make_folder(path: Path) -> None:
    """``mkdir -p`` where each new folder takes its parent's permission bits (so a team
    library's setgid, sticky and group-write bits reach every folder in it). A folder that is
    there already must be a folder, not a link someone else made (nor its parent): see
    :func:`check_folder`."""
    if _lstat(path) is not None:
        check_folder(path)
        check_folder(path.parent)
        return
    make_folder(path.parent)
    try:
        path.mkdir()
    except FileExistsError:
        check_folder(path)
        return
    except OSError as exc:
        raise LibraryWriteError(path, exc) from exc
    parent = os.stat(path.parent).st_mode & 0o7777
    # a team folder: the same bits all the way down; else never writable by others, whatever
    # the umask (a umask of 000 must not open a personal library to every local user)
    mode = parent if parent & 0o022 else (0o777 & ~_umask() & ~0o022)
    with contextlib.suppress(OSError):
        os.chmod(path, mode)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return os.lstat(path)
    except FileNotFoundError:
        return None


def _refused(path: Path, why: str) -> LibraryWriteError:
    return LibraryWriteError(path, OSError(errno.EPERM, f"{why}; refused"))


def _owner_name(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"user {uid}"


def check_folder(path: Path) -> None:
    """Refuse to write in a library folder that is not a real folder: a link is followed only
    when you (or root) made it, as you may have made the library itself a link; one made by
    another user could send your files anywhere (issue 15, item 10)."""
    st = _lstat(path)
    if st is None:
        return
    if stat.S_ISLNK(st.st_mode):
        if st.st_uid not in (os.geteuid(), 0):
            raise _refused(path, f"it is a link made by {_owner_name(st.st_uid)}, not a folder")
        try:
            st = os.stat(path)
        except OSError as exc:
            raise LibraryWriteError(path, exc) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise _refused(path, "it is not a folder")


def open_own_file(path: Path, flags: int, mode: int = 0o600) -> int:
    """Open a library file this process writes (a journal, search keys) without following a
    link; it must be a regular file owned by you. Raises LibraryWriteError otherwise."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refused(path, "it is a link, not a file") from exc
        raise LibraryWriteError(path, exc) from exc
    st = os.fstat(fd)
    why = None
    if not stat.S_ISREG(st.st_mode):
        why = "it is not a regular file"
    elif st.st_uid != os.geteuid():
        why = f"it belongs to {_owner_name(st.st_uid)}, not to you"
    if why is not None:
        os.close(fd)
        raise _refused(path, why)
    return fd


class LinkError(OSError):
    """A library file that is a symbolic link (opened without following it)."""


def open_nofollow(path: Path) -> Any:
    """Open a library file for reading without following a link (LinkError if it is one)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise LinkError(exc.errno, "it is a link", str(path)) from exc
        raise
    return os.fdopen(fd, "rb")


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(
    path: Path,
    data: bytes,
    *,
    sync_dir: bool = True,
    sync_file: bool = True,
    mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` through a fsynced temp file and ``os.replace``.

    With ``sync_dir=False`` the caller fsyncs the folder (once for many files).
    """
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{threading.get_ident()}")
    try:
        new_mode = file_mode(path.parent) if mode is None else mode
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW  # a new file, never a link
        try:
            fd = os.open(tmp, flags, new_mode)
        except FileExistsError:  # left by a killed process of the same id (or planted)
            tmp.unlink()
            fd = os.open(tmp, flags, new_mode)
        try:
            write_all(fd, data)
            if sync_file:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if sync_dir:
            fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise LibraryWriteError(path, exc) from exc


def cut_torn_tail(fd: int) -> int:
    """Truncate the file after its last complete line; returns the size left."""
    size = os.fstat(fd).st_size
    end = size
    while end > 0:
        chunk = os.pread(fd, min(65536, end), end - min(65536, end))
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            end = end - len(chunk) + newline + 1
            break
        end -= len(chunk)
    if end != size:
        os.ftruncate(fd, end)
    return end


def write_all(fd: int, data: bytes) -> None:
    """All of ``data``: ``os.write`` may write less than it is given (a short write)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def append_lines(fd: int, data: bytes) -> None:
    """Append whole lines to a file opened with ``O_APPEND``: a torn last line (a killed
    writer's) is cut off first, every byte is written, and a write that fails half-way (a full
    disk) is taken back, so no half line is left to glue onto the next one."""
    size = cut_torn_tail(fd)
    try:
        write_all(fd, data)
        os.fsync(fd)
    except OSError:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, size)
        raise


def clean_stale_temp_files(path: Path) -> list[Path]:
    """Remove temp files a killed writer of ``path`` left behind. Call under its lock."""
    removed = []
    for tmp in path.parent.glob(f".{path.name}*{TEMP_MARK}*"):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def clean_orphaned_temp_files(folder: Path) -> list[Path]:
    """Remove temp files under ``folder`` whose writing process is gone (no lock needed:
    a live writer's files are kept). For the write-once article bodies."""
    removed = []
    for tmp in folder.glob(f"*/.*{TEMP_MARK}*"):
        pid_text = tmp.name.rpartition(TEMP_MARK)[2].split("-")[0]
        if pid_text.isdigit() and _process_alive(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
    return removed


def remove_orphaned_bodies(folder: Path, known: Container[str], age: float) -> list[Path]:
    """Remove body files under ``folder`` (``<ab>/<id>.json``) whose id is not in ``known``,
    that you own and that were last changed at least ``age`` seconds ago."""
    removed = []
    cutoff = time.time() - age
    me = os.geteuid()
    with contextlib.suppress(OSError):
        for sub in os.scandir(folder):
            if not sub.is_dir(follow_symlinks=False):
                continue
            for entry in os.scandir(sub.path):
                article_id, _, suffix = entry.name.partition(".")
                if suffix != "json" or article_id in known or not _is_article_id(article_id):
                    continue
                with contextlib.suppress(OSError):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and st.st_uid == me and st.st_mtime < cutoff:
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
    return removed


def _is_article_id(text: str) -> bool:
    return len(text) == 16 and all(c in "0123456789abcdef" for c in text)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's live process
    return True


class _FolderLock:
    """A blocking ``flock`` on a folder, shared by every lock of the files in it, reentrant
    within a process (a second ``flock`` of the same folder on another descriptor would wait
    for the first one forever).

    The folder is what is locked because nobody can unlink it from under a holder: a folder
    with files in it cannot be removed. A lock file can be (a person cleaning up, a sync tool);
    a writer then creates a new one and locks that while the first writer still holds the old
    one, and both write at once (issue 15, item 8).
    """

    def __init__(self) -> None:
        self.thread_lock = threading.RLock()
        self.depth = 0
        self.fd: int | None = None

    @contextlib.contextmanager
    def held(self, folder: Path) -> Iterator[None]:
        with self.thread_lock:
            if self.depth == 0:
                try:
                    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
                except OSError as exc:
                    raise LibraryWriteError(folder, exc) from exc
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self.fd = fd
            self.depth += 1
            try:
                yield
            finally:
                self.depth -= 1
                if self.depth == 0 and self.fd is not None:
                    fcntl.flock(self.fd, fcntl.LOCK_UN)
                    os.close(self.fd)
                    self.fd = None


_FOLDER_LOCKS: dict[tuple[int, int], _FolderLock] = {}
_FOLDER_LOCKS_GUARD = threading.Lock()


def _folder_lock(folder: Path) -> _FolderLock:
    try:
        st = os.stat(folder)
    except OSError as exc:
        raise LibraryWriteError(folder, exc) from exc
    with _FOLDER_LOCKS_GUARD:
        return _FOLDER_LOCKS.setdefault((st.st_dev, st.st_ino), _FolderLock())


class FileLock:
    """The lock of one library file: a blocking ``flock`` on the file's folder (see
    :class:`_FolderLock`), then on the file's ``.lock`` sidecar (which still excludes a process
    of an earlier release). Reentrant within a process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._depth = 0
        self._fd: int | None = None

    def _open(self) -> int:
        flags = os.O_NOFOLLOW | os.O_NONBLOCK  # never through a link, nor stuck on a FIFO
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | flags, file_mode(self.path.parent))
        except OSError as exc:
            if exc.errno == errno.ELOOP or not self.path.exists():
                raise LibraryWriteError(self.path, exc) from exc
            try:  # a read-only library: flock works on a read-only descriptor too
                fd = os.open(self.path, os.O_RDONLY | flags)
            except OSError as again:
                raise LibraryWriteError(self.path, again) from again
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise _refused(self.path, "it is not a regular file")
        return fd

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        folder = _folder_lock(self.path.parent)
        with folder.held(self.path.parent):  # first: it also keeps other threads out
            if self._depth == 0:
                fd = self._open()
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                except BaseException:
                    os.close(fd)
                    raise
                self._fd = fd
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
                    os.close(self._fd)
                    self._fd = None


def _check_shape(data: Any) -> None:
    """What TinyDB stores: ``{table: {doc id: {field: value}}}``; anything else is damage."""
    if not isinstance(data, dict):
        raise ValueError("top level is not an object")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise ValueError(f"table {name!r} is not a table of documents")


def stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class AtomicJSONStorage:
    """TinyDB storage: orjson, atomic replace, cached parse keyed by the file's stat.

    It has TinyDB's storage interface (read/write/close); TinyDB itself is imported only
    when something is written, so reading a library (and starting the app) does not pay for it.

    ``read()`` returns the cached parsed state; callers treat it as read-only (TinyDB's
    own updates replace it through ``write()``; a failed write drops the cache).
    """

    def __init__(self, path: str | os.PathLike[str], kind: str, schema: int) -> None:
        self.path = Path(path)
        self.kind = kind
        self.schema = schema
        self.lock = FileLock(self.path.with_name(self.path.name + ".lock"))
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.warnings: list[str] = []
        self._key: tuple[int, int, int] | None = None
        self._data: dict[str, Any] | None = None

    # -- TinyDB Storage interface -------------------------------------------------
    def read(self) -> dict[str, Any] | None:
        key = stat_key(self.path)
        if key is None:
            self._key, self._data = None, None
            return None
        if key != self._key or self._data is None:
            self._load()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        data.setdefault(META_TABLE, {"1": {"kind": self.kind, "schema": self.schema}})
        try:
            blob = orjson.dumps(data)
        except TypeError as exc:  # pragma: no cover - programming error
            self._key, self._data = None, None
            raise ValueError(f"cannot store {self.path.name}: {exc}") from exc
        with self.lock.held():
            try:
                atomic_write_bytes(self.path, blob)
            except BaseException:
                self._key, self._data = None, None
                raise
            self._key, self._data = stat_key(self.path), data
            self._write_backup(blob)

    def close(self) -> None:
        pass

    # -- helpers --------------------------------------------------------------------
    def changed_on_disk(self) -> bool:
        """True when another process replaced the file since we last read it."""
        return stat_key(self.path) != self._key

    @property
    def version(self) -> tuple[int, int, int] | None:
        """(inode, mtime_ns, size) of the state last read or written."""
        return self._key

    def _load(self) -> None:
        for _attempt in range(3):
            try:
                with open_nofollow(self.path) as handle:
                    key = os.fstat(handle.fileno())
                    if not stat.S_ISREG(key.st_mode):
                        raise IsADirectoryError(self.path)
                    raw = handle.read()
            except FileNotFoundError:
                self._key, self._data = None, None
                return
            except LinkError:
                self._recover("it is a link, not a file")
                return
            except IsADirectoryError:
                self._recover("it is a folder (or something else), not a file")
                return
            except PermissionError as exc:
                raise LibraryError(
                    f"{self.path} cannot be read: {exc.strerror} (ask its owner to fix its "
                    "permissions)"
                ) from exc
            try:
                if not raw.strip():  # nothing this program writes is empty: damage
                    raise ValueError("the file is empty")
                data = orjson.loads(raw)
                _check_shape(data)
            except ValueError as exc:
                if stat_key(self.path) != (key.st_ino, key.st_mtime_ns, key.st_size):
                    continue  # replaced while we read: read the new one
                self._recover(str(exc))
                return
            self._check_schema(data)
            self._key, self._data = (key.st_ino, key.st_mtime_ns, key.st_size), data
            return

    def _check_schema(self, data: dict[str, Any]) -> None:
        meta = (data.get(META_TABLE) or {}).get("1") or {}
        version = meta.get("schema", 1)
        if isinstance(version, int) and version > self.schema:
            raise SchemaTooNewError(self.path, version, self.schema)

    def _write_backup(self, blob: bytes) -> None:
        """Keep a copy of the state just written (its own inode, so damage to one is not
        damage to both). Not fsynced: it is only read when the main file is damaged. A backup
        that cannot be written (a full disk) is told, not raised: the file itself was saved,
        but the backup still holds an older state until the next write succeeds."""
        try:
            atomic_write_bytes(self.backup_path, blob, sync_dir=False, sync_file=False)
        except LibraryWriteError as exc:
            reason = exc.cause.strerror or str(exc.cause)
            message = (
                f"{self.path} was saved, but its backup {self.backup_path} could not be "
                f"updated ({reason}): it holds an older state until the next save succeeds"
            )
            if message not in self.warnings:
                self.warnings.append(message)

    def _recover(self, reason: str) -> None:
        """Move a damaged file aside (never overwrite it) and fall back to the backup."""
        with self.lock.held():
            if stat_key(self.path) is None:
                self._key, self._data = None, None
                return
            stamp = time.strftime("%Y%m%d-%H%M%S")
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{os.getpid()}")
            try:
                os.replace(self.path, aside)
            except PermissionError:  # another member's file in a team library: theirs to mend
                self.warnings.append(
                    f"{self.path} could not be read ({reason}); it is not yours to repair, "
                    "so it is left as it is and its contents are not shown"
                )
                self._key, self._data = stat_key(self.path), {}
                return
            restored = False
            if self.backup_path.exists():
                try:
                    blob = self.backup_path.read_bytes()
                    data = orjson.loads(blob)
                    if isinstance(data, dict):
                        atomic_write_bytes(self.path, blob)
                        restored = True
                except (ValueError, OSError):
                    restored = False
            message = f"{self.path} could not be read ({reason}); it was moved to {aside}"
            message += (
                f"; the last good state was restored from {self.backup_path}"
                if restored
                else "; no backup was found, so this file starts empty"
            )
            self.warnings.append(message)
            self._key, self._data = None, None
            if restored:
                self._load()


class _Shared:
    """Lets a fresh TinyDB use an existing storage object (TinyDB wants a class).

    TinyDB updates documents in place (msiemens/tinydb#291), so a transaction works on copies:
    records handed out earlier, and the cache, never change under their holders' feet.
    """

    def __init__(self, shared: AtomicJSONStorage) -> None:
        self.shared = shared

    def read(self) -> dict[str, Any] | None:
        data = self.shared.read()
        if data is None:
            return None
        return {
            name: {key: dict(doc) for key, doc in table.items()} for name, table in data.items()
        }

    def write(self, data: dict[str, Any]) -> None:
        self.shared.write(data)


class Store:
    """A TinyDB database on one library file, with the lock held around each change."""

    def __init__(self, path: Path, kind: str, schema: int) -> None:
        self.storage = AtomicJSONStorage(path, kind, schema)
        with contextlib.suppress(LibraryWriteError), self.storage.lock.held():
            clean_stale_temp_files(path)  # best effort: a read-only library has none to clean

    @property
    def path(self) -> Path:
        return self.storage.path

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        """Hold the lock and give a fresh TinyDB over the current file.

        A new ``TinyDB`` per transaction means no stale next-id or query cache from
        before another process's write; the storage reloads the file if it changed.
        """
        from tinydb import TinyDB

        with self.storage.lock.held():
            yield TinyDB(storage=_Shared, shared=self.storage)

    def snapshot(self, table: str) -> dict[str, Any]:
        """The table's documents as stored (read-only), reloaded if the file changed."""
        data = self.storage.read() or {}
        return data.get(table) or {}

    def changed_on_disk(self) -> bool:
        return self.storage.changed_on_disk()
