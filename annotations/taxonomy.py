"""The taxonomy: tags with keys, names, colours and keywords; and tag suggestions from text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

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


def _parse(text: str, source: str) -> Taxonomy:
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict) or not isinstance(data.get("tags"), list):
        raise ValueError("expected a mapping with a 'tags' list")
    tags = []
    for index, item in enumerate(data["tags"], start=1):
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise ValueError(f"tag {index}: needs a 'key' string")
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list):
            raise ValueError(f"tag {item['key']}: 'keywords' is not a list")
        tags.append(
            TagDef(
                key=item["key"].strip(),
                name=str(item.get("name") or item["key"]),
                description=str(item.get("description") or ""),
                colour=str(item.get("colour") or ""),
                keywords=tuple(str(k) for k in keywords),
            )
        )
    return Taxonomy(tags, source)


def bundled_text() -> str:
    return (resources.files(__package__) / "data" / "taxonomy.yaml").read_text(encoding="utf-8")


def load_taxonomy(user_file: Path | None = None) -> Taxonomy:
    """The user's taxonomy file if it exists and is valid, else the bundled one (with the
    problem noted, naming the file)."""
    bundled = _parse(bundled_text(), "bundled")
    if user_file is None or not user_file.exists():
        return bundled
    try:
        if user_file.stat().st_size > MAX_BYTES:
            raise ValueError(f"larger than {MAX_BYTES} bytes")
        return _parse(user_file.read_text(encoding="utf-8"), str(user_file))
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        bundled.problem = f"{user_file}: {str(exc).splitlines()[0]}; using the bundled taxonomy"
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
