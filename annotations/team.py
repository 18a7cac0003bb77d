"""Preparing a library folder, and the rules of a team library (docs/design.md, "Team
libraries").

A team library is a folder the members of one group can all write. Every folder in it is
setgid to the group (new files belong to the group) and sticky (nobody can remove or replace
another's file) and closed to users outside the group; every file a member's processes create
is readable by the group and writable only by its creator (annotations/storage.py
``file_mode``). Each member writes only their own files: their journal of annotations, their
private reading state, the articles they imported.
"""

from __future__ import annotations

import grp
import os
from pathlib import Path

from annotations.errors import LibraryError, LibraryWriteError

TEAM_FOLDER_MODE = 0o3770  # setgid + sticky, rwx for owner and group, nothing for others
PERSONAL_FOLDER_MODE = 0o755
FOLDERS = ("annotations", "state", "articles", "bodies")


def init_library(folder: Path, group: str | None) -> str:
    """Make ``folder`` a library (a team library of ``group`` when given); returns what was
    done, for the user. Refuses a group that does not exist (the cause is a KeyError)."""
    gid = None
    if group is not None:
        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError as exc:
            raise LibraryError(f"there is no group {group!r} on this machine") from exc
    made = []
    for path in (folder, *(folder / name for name in FOLDERS)):
        try:
            path.mkdir(parents=True, exist_ok=True)
            if gid is not None:
                os.chown(path, -1, gid)
                os.chmod(path, TEAM_FOLDER_MODE)
            else:  # whatever the umask: a personal library is yours alone to write
                os.chmod(path, PERSONAL_FOLDER_MODE)
        except OSError as exc:
            raise LibraryWriteError(path, exc) from exc
        made.append(path)
    if gid is None:
        return f"{folder}: a personal library (only you can write it)"
    return (
        f"{folder}: a team library of group {group!r}: every member reads everyone's work "
        "and writes only their own (folders setgid and sticky, mode 3770)"
    )
