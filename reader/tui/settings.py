"""The user's saved choices (theme, ...), a small YAML file in the config folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from annotations.errors import LibraryError
from annotations.storage import atomic_write_bytes

MAX_BYTES = 64 * 1024


def load(path: Path) -> tuple[dict[str, Any], str | None]:
    """The settings, and a problem to report (the file is then ignored, never rewritten)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return {}, f"{path}: larger than {MAX_BYTES} bytes; ignored"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}, None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return {}, f"{path}: {str(exc).splitlines()[0]}; ignored"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"{path}: not a mapping; ignored"
    return data, None


def save(path: Path, settings: dict[str, Any]) -> str | None:
    """Write the settings atomically; returns a problem to report, if any."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=True)
        atomic_write_bytes(path, text.encode("utf-8"))
    except (OSError, LibraryError) as exc:
        return f"could not save settings: {exc}"
    return None
