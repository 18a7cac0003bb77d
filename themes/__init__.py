"""Theme files (YAML) and their loader: bundled themes plus the user's own.

A theme file names Textual's base colours and our own variables (entity and tag colours).
Files are read with ``yaml.safe_load``; colours are checked with ``Color.parse``; every broken
file is reported, none stops the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from textual.color import Color, ColorParseError
from textual.theme import Theme

DEFAULT_THEME = "okur-dark"
SSH_THEME = "okur-ansi"
MAX_THEME_BYTES = 64 * 1024
COLOUR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
# Defaults for our own variables, used when a theme leaves one out.
VARIABLE_DEFAULTS = {
    "entity-person": "#ffaf5f",
    "entity-org": "#87d787",
    "entity-loc": "#5fd7ff",
    "entity-other": "#d7afff",
    "keyword": "#d7d787",
    "tag": "#d7d75f",
    "span-background": "#00005f",
    "search-match": "#d7d75f",
    "search-match-foreground": "#1c1c1c",
    "unread": "#5fafd7",
}


@dataclass
class LoadedThemes:
    themes: list[Theme] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _check_colour(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a colour")
    if value.startswith("ansi_"):
        return value
    try:
        Color.parse(value)
    except ColorParseError as exc:
        raise ValueError(f"{value!r} is not a colour") from exc
    return value


def theme_from_mapping(data: Any) -> Theme:
    """Build a Textual theme from a parsed theme file; ``ValueError`` says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("not a mapping of theme fields")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("no 'name'")
    if data.get("primary") is None:  # "primary:" with no value is none either
        raise ValueError("no 'primary' colour")
    colours: dict[str, str] = {}
    for key in COLOUR_FIELDS:
        if data.get(key) is not None:
            try:
                colours[key] = _check_colour(data[key])
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from exc
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("'variables' is not a mapping")
    checked: dict[str, str] = {}
    for key, value in variables.items():
        try:
            checked[str(key)] = _check_colour(value)
        except ValueError as exc:
            raise ValueError(f"variables.{key}: {exc}") from exc
    return Theme(
        name=name.strip(),
        primary=colours["primary"],
        secondary=colours.get("secondary"),
        warning=colours.get("warning"),
        error=colours.get("error"),
        success=colours.get("success"),
        accent=colours.get("accent"),
        foreground=colours.get("foreground"),
        background=colours.get("background"),
        surface=colours.get("surface"),
        panel=colours.get("panel"),
        boost=colours.get("boost"),
        dark=bool(data.get("dark", True)),
        ansi=bool(data.get("ansi", False)),
        variables=checked,
    )


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present


def _load_text(label: str, text: str, found: LoadedThemes) -> None:
    try:
        found.themes.append(theme_from_mapping(yaml.load(text, Loader=_Loader)))
    except (yaml.YAMLError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        found.problems.append(f"{label}: {reason}")


def load_themes(user_dir: Path | None = None) -> LoadedThemes:
    """Bundled themes, then ``*.yaml`` in ``user_dir`` (a user theme may replace a bundled one)."""
    found = LoadedThemes()
    for item in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if item.name.endswith(".yaml"):
            _load_text(item.name, item.read_text(encoding="utf-8"), found)
    if user_dir is not None and user_dir.is_dir():
        for path in sorted(user_dir.glob("*.y*ml")):
            try:
                if path.stat().st_size > MAX_THEME_BYTES:
                    found.problems.append(f"{path}: larger than {MAX_THEME_BYTES} bytes")
                    continue
                _load_text(str(path), path.read_text(encoding="utf-8"), found)
            except (OSError, UnicodeDecodeError) as exc:
                found.problems.append(f"{path}: {exc}")
    return found
