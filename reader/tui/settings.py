"""The user's saved choices (theme, ...), a small YAML file in the config folder.

The file is the user's too: saving the theme rewrites only its ``theme:`` line (or adds one),
every other byte stays as it was, comments included.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from annotations.errors import LibraryError
from annotations.files import write_file

MAX_BYTES = 64 * 1024
# A top-level theme line: its value, and a comment after it (kept), up to the line end.
_THEME_LINE = re.compile(
    r"^(?P<bom>\ufeff?)theme[ \t]*:[^\r\n]*?(?P<comment>[ \t]+#[^\r\n]*)?[ \t]*(?=\r?$)", re.M
)


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


def save_theme(path: Path, theme: str) -> str | None:
    """Set ``theme:`` in the settings file, changing nothing else in it; returns a problem to
    report, if any. A file that does not load is left alone (its problem was reported)."""
    try:
        old = path.read_bytes().decode("utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as exc:
        return f"could not save the theme in {path}: {exc}"
    before = _mapping(old)
    if before is None:
        return f"the theme is not saved: {path} does not load as settings"
    new = _with_theme(old, theme)
    if _mapping(new) != {**before, "theme": theme}:  # YAML this edit cannot handle (flow style)
        new = yaml.safe_dump({**before, "theme": theme}, allow_unicode=True, sort_keys=True)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file(path, new.encode("utf-8"))
    except (OSError, LibraryError) as exc:
        return f"could not save settings: {exc}"
    return None


def _with_theme(text: str, theme: str) -> str:
    value = theme if _plain_scalar(theme) else json.dumps(theme, ensure_ascii=False)
    matches = list(_THEME_LINE.finditer(text))
    if matches:  # the last one is the one YAML readers take
        last = matches[-1]
        line = f"{last['bom']}theme: {value}{last['comment'] or ''}"
        return text[: last.start()] + line + text[last.end() :]
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    return f"{text}theme: {value}{newline}"


def _plain_scalar(value: str) -> bool:
    """Whether ``value`` reads back as itself when written bare (not ``yes``, ``1.0``, ...)."""
    if not re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_.-]*", value):
        return False
    try:
        loaded: object = yaml.safe_load(value)
    except yaml.YAMLError:
        return False
    return loaded == value


def _mapping(text: str) -> dict[str, Any] | None:
    """The settings in ``text`` ({} for none), or None if it is not a YAML mapping."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None
