"""The git command line, run safely for ``reader sync`` (annotations/sync.py).

Every call is ``git -C <working copy> ...`` with arguments as a list (no shell), standard input
closed, a clean environment (of the caller's ``GIT_*`` variables only those that say how to
reach a remote: the others could point git at another repository), no terminal prompts (and,
from the app, no terminal at all: ssh cannot ask for a passphrase over the screen), only the
transports ``file``, ``git``, ``ssh``, ``http`` and ``https``, no hooks and no commit signing.
The remote URL is data: it is refused when it starts with ``-`` and is passed after ``--``
where git takes one.
"""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from annotations.errors import LibraryError
from annotations.sanitize import clean_line, strip_controls

ALLOWED_PROTOCOLS = "file:git:ssh:http:https"
FIXED_CONFIG = (
    "core.hooksPath=/dev/null",  # the working copy runs no hooks, whatever ~/.gitconfig says
    "commit.gpgsign=false",  # a signing prompt would hang a sync
    "core.quotepath=false",
    "gc.autoDetach=false",
)
TIMEOUT = 600  # seconds for one git command (a fetch over a slow link)
#: the caller's GIT_* variables kept: how to reach a remote (ssh, credentials, certificates)
TRANSPORT_VARIABLES = (
    "GIT_SSH",
    "GIT_SSH_COMMAND",
    "GIT_SSH_VARIANT",
    "GIT_ASKPASS",
    "GIT_SSL_CAINFO",
    "GIT_SSL_CAPATH",
)


class GitError(LibraryError):
    """A git command failed; the message says which and quotes git (controls removed)."""

    def __init__(self, message: str, stderr: str = "") -> None:
        super().__init__(message)
        self.stderr = stderr


@dataclass(frozen=True)
class Identity:
    """Author and committer of sync's commits: the annotator, and an address made from their
    name and the host (git's own identity, if any, is not used)."""

    name: str
    email: str

    @classmethod
    def of(cls, annotator: str, safe: str) -> Identity:
        name = clean_line(annotator).replace("<", "").replace(">", "") or "anonymous"
        host = "".join(c for c in socket.gethostname() if c.isalnum() or c in ".-") or "localhost"
        return cls(name, f"{safe}@{host}")


def check_remote(url: str) -> str:
    """The remote URL as given, or a reason to refuse it (raises GitError)."""
    if not url or url != url.strip() or not url.isprintable():
        raise GitError(f"refused remote {strip_controls(url)!r}: empty, spaces or controls")
    if url.startswith("-"):
        raise GitError(f"refused remote {url!r}: it starts with '-' (git would take an option)")
    if url.startswith("ext::") or "::" in url.split("/", 1)[0]:
        raise GitError(f"refused remote {url!r}: only file, git, ssh, http and https remotes")
    return url


def available() -> bool:
    try:
        subprocess.run(["git", "--version"], capture_output=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return False
    return True


class Git:
    """One working copy."""

    def __init__(self, worktree: Path, identity: Identity, *, terminal: bool = True) -> None:
        self.worktree = worktree
        self.identity = identity
        self.terminal = terminal  # False: git runs in a session of its own, without a tty

    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("GIT_") or k in TRANSPORT_VARIABLES
        }
        env.update(
            GIT_TERMINAL_PROMPT="0",
            GIT_ALLOW_PROTOCOL=ALLOWED_PROTOCOLS,
            GIT_AUTHOR_NAME=self.identity.name,
            GIT_AUTHOR_EMAIL=self.identity.email,
            GIT_COMMITTER_NAME=self.identity.name,
            GIT_COMMITTER_EMAIL=self.identity.email,
            LC_ALL="C",  # messages are parsed (a refused push)
            LANGUAGE="C",
        )
        return env

    def run(
        self, *args: str, check: bool = True, stdin: bytes | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        command = ["git", "-C", str(self.worktree)]
        for setting in FIXED_CONFIG:
            command += ["-c", setting]
        command += list(args)
        try:
            done = subprocess.run(
                command,
                input=stdin,
                stdin=None if stdin is not None else subprocess.DEVNULL,
                capture_output=True,
                env=self.env(),
                timeout=TIMEOUT,
                start_new_session=not self.terminal,
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed (the git command was not found)") from exc
        except subprocess.TimeoutExpired as exc:
            raise GitError(f"git {args[0]} took over {TIMEOUT} s and was stopped") from exc
        if check and done.returncode != 0:
            raise GitError(f"git {args[0]} failed: {tail(done.stderr)}", text(done.stderr))
        return done

    def out(self, *args: str) -> str:
        return self.run(*args).stdout.decode("utf-8", "replace").strip()

    def rev(self, ref: str) -> str | None:
        """The commit a ref names, or None."""
        done = self.run("rev-parse", "-q", "--verify", f"{ref}^{{commit}}", check=False)
        if done.returncode != 0:
            return None
        return done.stdout.decode().strip() or None

    def blobs(self, specs: list[str]) -> dict[str, bytes | None]:
        """The contents of ``<commit>:<path>`` specs in one ``git cat-file --batch``."""
        if not specs:
            return {}
        data = self.run("cat-file", "--batch", stdin="".join(s + "\n" for s in specs).encode())
        out: dict[str, bytes | None] = {}
        raw, pos = data.stdout, 0
        for spec in specs:
            end = raw.index(b"\n", pos)
            header = raw[pos:end].split()
            pos = end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                out[spec] = raw[pos : pos + size]
                pos += size + 1
            else:  # "<spec> missing", or not a blob
                out[spec] = None
        return out


def text(data: bytes) -> str:
    return strip_controls(data.decode("utf-8", "replace")).strip()


def tail(data: bytes, lines: int = 3) -> str:
    """The last lines git wrote, on one line (what a user needs to see)."""
    kept = [line.strip() for line in text(data).splitlines() if line.strip()]
    return " / ".join(kept[-lines:]) or "no message"
