"""Where the library and the user's config live, and the first-run sample library."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

APP_NAME = "haber-okur"


def default_library_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME) / "library"


def export_dir() -> Path:
    """Where exports are proposed: a haber-okur folder in the user's documents folder, or
    in the data folder when there is no documents folder (created when exporting)."""
    from platformdirs import user_data_path, user_documents_path

    try:
        documents = user_documents_path()
    except Exception:  # platformdirs asks the desktop (or Windows) for it: it may fail
        documents = None
    if documents is not None and documents.is_dir() and documents != Path.home():
        return documents / APP_NAME
    return user_data_path(APP_NAME) / "exports"


def config_dir() -> Path:
    if env := os.environ.get("READER_CONFIG"):
        return Path(env)
    from platformdirs import user_config_path

    return user_config_path(APP_NAME)


def library_dir(option: str | None) -> tuple[Path, bool]:
    """The library folder and whether it is the default one."""
    if option:
        return Path(option).expanduser(), False
    if env := os.environ.get("READER_LIBRARY"):
        return Path(env).expanduser(), False
    return default_library_dir(), True


def sample_files() -> list[tuple[str, bytes]]:
    """The bundled sample articles, as (name, bytes)."""
    folder = resources.files("reader") / "samples"
    return sorted(
        (f"samples/{item.name}", item.read_bytes())
        for item in folder.iterdir()
        if item.name.endswith(".txt")
    )
