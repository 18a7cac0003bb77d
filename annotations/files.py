"""Files people ask for (exports, settings): written whole or not at all, never half a file.

The app and the command line write user files through this module and library data only
through the library and the edits service; import-linter keeps them away from the storage
layer (pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

from annotations.storage import atomic_write_bytes


def write_file(path: Path, data: bytes, *, create_folder: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (a temp file, fsync, rename); with
    ``create_folder``, make its folder first (a user's folder: their usual permissions)."""
    if create_folder:
        path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, data)
