"""Reading untrusted YAML: libyaml's safe parser, no anchors or aliases, a size cap, every
scalar a string (the schema decides what is a number) but a plain null, ``~`` or empty value
(no value)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

MAX_BYTES = 256 * 1024 * 1024  # read as a stream (iter_export); a million records fit
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


def _value(value: str, style: str | None) -> str | None:
    """A scalar's value: a plain (style None or "") null, ``~`` or empty is None."""
    return None if not style and value in _NO_VALUE else value


def _string_or_none(loader: Any, node: yaml.ScalarNode) -> str | None:
    return _value(str(node.value), node.style)


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
    except yaml.YAMLError as exc:
        raise _input_error(exc, name) from exc


def _input_error(exc: yaml.YAMLError, name: str) -> YamlInputError:
    """libyaml's error as file:line:column: problem."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        problem = str(exc.problem or exc)
        where = f"{name}:{mark.line + 1}:{mark.column + 1}"
        return YamlInputError(f"{where}: {problem}", line=mark.line + 1, problem=problem)
    return YamlInputError(f"{name}: {exc}")


def iter_export(path: Path, max_bytes: int = MAX_BYTES) -> Iterator[tuple[str, Any]]:
    """Read a YAML export as a stream, in bounded memory: ``("article", value)`` for each item
    of the top-level ``articles`` list, built one at a time and not kept, then ``("header",
    document)``: the top level without those items (``articles`` an empty list), or whatever
    the document is when it is not a mapping. The same rules as :func:`loads_untrusted`
    (scalars as strings, a plain null none; no anchors, aliases or tags; at most
    ``MAX_DEPTH`` levels) and the same errors."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise YamlInputError(f"{path}: {size:,} bytes, over the limit of {max_bytes:,}")
        handle = open(path, "rb")  # noqa: SIM115 (closed below; libyaml reads it in pieces)
    except OSError as exc:
        raise YamlInputError(f"{path}: {exc.strerror or exc}") from exc
    with handle:
        yield from _stream(handle, name)


_NO_KEY = object()


def _stream(handle: Any, name: str) -> Iterator[tuple[str, Any]]:
    frames: list[list[Any]] = []  # open collections: [container, pending key, streamed]
    root: Any = None
    try:
        for event in yaml.parse(handle, Loader=_Base):
            mark = event.start_mark
            problem = ""
            if isinstance(event, yaml.CollectionStartEvent) and len(frames) >= MAX_DEPTH:
                problem = f"nested deeper than {MAX_DEPTH} levels"
            elif isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problem = "anchors and aliases are not accepted"
            elif (tag := getattr(event, "tag", None)) and tag not in _PLAIN_TAGS:
                problem = f"the tag {tag} is not accepted"
            elif isinstance(event, yaml.DocumentStartEvent) and root is not None:
                problem = "more than one document"
            if problem:
                line = mark.line + 1 if mark else None
                where = f"{name}:{mark.line + 1}:{mark.column + 1}" if mark else name
                raise YamlInputError(f"{where}: {problem}", line=line, problem=problem)
            value: Any
            if isinstance(event, yaml.ScalarEvent):  # a plain null is no value, as in _Loader
                value = _value(event.value, event.style)
            elif isinstance(event, yaml.SequenceStartEvent):
                streamed = len(frames) == 1 and frames[0][1] == "articles"
                frames.append([[], _NO_KEY, streamed])
                continue
            elif isinstance(event, yaml.MappingStartEvent):
                frames.append([{}, _NO_KEY, False])
                continue
            elif isinstance(event, yaml.CollectionEndEvent):
                value = frames.pop()[0]
            else:
                continue
            if not frames:
                root = value
                continue
            frame = frames[-1]
            container = frame[0]
            if isinstance(container, list):
                if frame[2]:
                    yield "article", value
                else:
                    container.append(value)
            elif frame[1] is _NO_KEY:
                frame[1] = value if isinstance(value, str) else repr(value)
            else:
                container[frame[1]] = value
                frame[1] = _NO_KEY
    except yaml.YAMLError as exc:
        raise _input_error(exc, name) from exc
    yield "header", root
