"""Reading untrusted YAML: libyaml's safe parser, no anchors or aliases, a size cap, every
scalar a string (the schema decides what is a number) but a plain null, ``~`` or empty value
(no value)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

MAX_BYTES = 64 * 1024 * 1024
MAX_DEPTH = 64  # an export is 5 levels deep
if TYPE_CHECKING:  # the stubs always have it; both read every scalar as a string
    _Base = yaml.CBaseLoader
else:
    _Base = getattr(yaml, "CBaseLoader", yaml.BaseLoader)  # libyaml's, when built with it


_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "map", "seq")
} | {"!"}


class _Loader(_Base):
    """Every scalar a string, except a plain (unquoted) ``null``, ``~`` or empty value, which
    is "no value", as other YAML writers mean it (a quoted ``'null'`` stays text)."""


_NO_VALUE = {"", "~", "null", "Null", "NULL"}


def _string_or_none(loader: Any, node: yaml.ScalarNode) -> str | None:
    value = str(node.value)
    return None if not node.style and value in _NO_VALUE else value  # plain: None or ""


_Loader.add_constructor("tag:yaml.org,2002:str", _string_or_none)


class YamlInputError(ValueError):
    """Names the file, the place and the problem (``line``, 1-based, and ``problem`` apart)."""

    def __init__(self, message: str, *, line: int | None = None, problem: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.problem = problem or message


def load_untrusted(path: Path, max_bytes: int = MAX_BYTES) -> Any:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlInputError(f"{path}: {size:,} bytes, over the limit of {max_bytes:,}")
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlInputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise YamlInputError(f"{path}: {exc.strerror or exc}") from exc
    return loads_untrusted(text, str(path))


def loads_untrusted(text: str, name: str = "<text>") -> Any:
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_Base):
            mark = event.start_mark  # the parser marks every event
            where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
            problem = ""
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if depth > MAX_DEPTH:  # building it would recurse (RecursionError at ~330 levels)
                problem = f"nested deeper than {MAX_DEPTH} levels"
            elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problem = "anchors and aliases are not accepted"
            elif (tag := getattr(event, "tag", None)) and tag not in _PLAIN_TAGS:
                problem = f"the tag {tag} is not accepted"
            if problem:
                line = mark.line + 1 if mark else None
                raise YamlInputError(f"{where}: {problem}", line=line, problem=problem)
        return yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
        problem = str(exc.problem or exc)
        line = mark.line + 1 if mark else None
        raise YamlInputError(f"{where}: {problem}", line=line, problem=problem) from exc
    except yaml.YAMLError as exc:
        raise YamlInputError(f"{name}: {exc}") from exc
