"""The taxonomy: tags with keys, names, colours and keywords; and tag suggestions from text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

from annotations.safeyaml import YamlInputError, loads_untrusted
from annotations.textfold import fold

MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class TagDef:
    key: str
    name: str = ""
    description: str = ""
    colour: str = ""
    keywords: tuple[str, ...] = ()


@dataclass
class Taxonomy:
    tags: list[TagDef] = field(default_factory=list)
    source: str = "bundled"
    problem: str | None = None

    def tag_keys(self) -> list[str]:
        return [t.key for t in self.tags]

    def get(self, key: str) -> TagDef | None:
        return next((t for t in self.tags if t.key == key), None)


class TaxonomyError(ValueError):
    """What is wrong with a taxonomy file, and the line it is on (1-based), if known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _parse(text: str, source: str) -> Taxonomy:
    """Tags from YAML text: every scalar a string, no anchors or aliases (untrusted input)."""
    try:
        data = loads_untrusted(text, source)
    except YamlInputError as exc:
        raise TaxonomyError(exc.problem, exc.line) from exc
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        raise TaxonomyError("expected a mapping with a 'tags' list", 1)

    def line(index: int, field: str = "") -> int | None:
        """Where tag ``index`` (or its ``field``) is: read again only for a message."""
        items = _item_lines(text)
        found = items[index - 1] if index <= len(items) else {}
        return found.get(field, found.get(""))

    tags = []
    for index, item in enumerate(data["tags"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise TaxonomyError(f"tag {index}: needs a 'key' string", line(index))
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            problem = f"tag {item['key']}: 'keywords' is not a list of words"
            raise TaxonomyError(problem, line(index, "keywords"))
        tags.append(
            TagDef(
                key=item["key"].strip(),
                name=str(item.get("name") or item["key"]),
                description=str(item.get("description") or ""),
                colour=str(item.get("colour") or ""),
                keywords=tuple(keywords),
            )
        )
    return Taxonomy(tags, source)


def _item_lines(text: str) -> list[dict[str, int]]:
    """Where each item of the top-level ``tags`` list is (``""``) and each of its fields'
    values are: 1-based lines, for messages."""
    root = yaml.compose(text, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    for key, value in root.value if isinstance(root, yaml.MappingNode) else []:
        if key.value == "tags" and isinstance(value, yaml.SequenceNode):
            return [_field_lines(item) for item in value.value]
    return []


def _field_lines(item: yaml.Node) -> dict[str, int]:
    lines = {"": item.start_mark.line + 1}
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            lines[str(key.value)] = value.start_mark.line + 1
    return lines


def bundled_text() -> str:
    return (resources.files(__package__) / "data" / "taxonomy.yaml").read_text(encoding="utf-8")


def load_taxonomy(user_file: Path | None = None) -> Taxonomy:
    """The user's taxonomy file if it exists and is valid, else the bundled one, with the
    problem noted for the user (the file, the line, what is wrong)."""
    bundled = _parse(bundled_text(), "bundled")
    if user_file is None or not user_file.exists():
        return bundled
    try:
        if user_file.stat().st_size > MAX_BYTES:
            raise TaxonomyError(f"larger than {MAX_BYTES:,} bytes")
        text = user_file.read_bytes().decode("utf-8-sig")
        return _parse(text, str(user_file))
    except UnicodeDecodeError as exc:
        problem, line = f"not UTF-8 text (byte {exc.start})", None
    except OSError as exc:
        problem, line = str(exc.strerror or exc), None
    except TaxonomyError as exc:
        problem, line = str(exc), exc.line
    where = f"{user_file}, line {line}" if line else str(user_file)
    bundled.problem = f"taxonomy {where}: {problem}; using the bundled taxonomy"
    return bundled


def _keyword_pattern(keyword: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in fold(keyword).split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words))


def suggest_tags(text: str, taxonomy: Taxonomy, *, minimum: int = 1) -> list[str]:
    """Tags whose keywords start words of the text, most mentioned first."""
    folded = fold(text)
    scores: list[tuple[int, int, str]] = []
    for order, tag in enumerate(taxonomy.tags):
        hits = sum(len(_keyword_pattern(k).findall(folded)) for k in tag.keywords)
        if hits >= minimum:
            scores.append((-hits, order, tag.key))
    return [key for _, _, key in sorted(scores)]
