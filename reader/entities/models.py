"""Which recogniser is in force: a trained model, or the rules.

- ``use(spec)`` names one for this process (``--model PATH|rules``);
- otherwise the model in the user's data folder (``default_model_path()``, where ``reader
  entities train`` writes) when there is one, else the rules;
- a model that cannot be read falls back to the rules, and ``problem()`` says why.

``recogniser_version()`` names what is in force, for caches of recognised entities: it changes
when the model file changes (its content hash) or the rules do (a hash of their code and word
lists).
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from reader.entities.recognizer import Entity, recognize

RULES = "rules"
MODEL_FILE = "entity-model.crf"


def default_model_path() -> Path:
    """Where ``reader entities train`` writes without ``-o``, and where the app looks:
    ``READER_ENTITY_MODEL``, else ``entity-model.crf`` in the user's data folder."""
    if env := os.environ.get("READER_ENTITY_MODEL"):
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("haber-okur") / MODEL_FILE


@cache
def rules_version() -> str:
    """A hash of the rules' code and word lists: changes whenever they do."""
    digest = hashlib.sha256()
    package = resources.files("reader.entities")
    for name in ("recognizer.py", "rules.py", "gazetteer.py"):
        digest.update((package / name).read_bytes())
    data = package / "data"
    for item in sorted(data.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".txt"):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class Recogniser:
    """What finds the entities: ``model`` is None for the rules."""

    model: object | None  # a crf.CrfModel (imported lazily: python-crfsuite loads only then)
    version: str

    @property
    def name(self) -> str:
        return "rules" if self.model is None else "model"

    @property
    def path(self) -> Path | None:
        """The model's file (None for the rules)."""
        return getattr(self.model, "path", None)

    def describe(self) -> str:
        """For a person: ``rules``, or ``model trained 2026-12-02 01:40 UTC``."""
        return "rules" if self.model is None else f"model trained {self.when()} UTC"

    def stale(self) -> bool:
        """Whether the model learnt from rules other than today's (it is used, but training it
        again gives better results)."""
        header = getattr(self.model, "header", None)
        return isinstance(header, dict) and header.get("rules") not in (None, rules_version())

    def short(self) -> str:
        """``rules`` or ``model 2026-12-02 01:40`` (UTC): for a title."""
        return "rules" if self.model is None else f"model {self.when()}"

    def when(self) -> str:
        trained = str(getattr(self.model, "trained", "?"))
        return trained.replace("T", " ").rstrip("Z")[:16]

    def recognise(self, text: str, keywords: Sequence[str] = ()) -> list[Entity]:
        if self.model is None:
            return recognize(text, list(keywords))
        from reader.entities.crf import CrfModel

        assert isinstance(self.model, CrfModel)
        return self.model.recognise(text, keywords)


_lock = threading.Lock()
_override: str | None = None  # "rules", or a model's path
_loaded: dict[tuple[str, int, int, int], Recogniser] = {}
_problem: str | None = None


def use(spec: str | None) -> Recogniser:
    """Name the recogniser for this process: ``"rules"``, a model's path, or None for the
    default. A model that cannot be read raises ``crf.ModelError``."""
    global _override
    if spec is not None and spec != RULES:
        _load(Path(spec), strict=True)
    _override = spec
    return current()


def rules() -> Recogniser:
    return Recogniser(None, f"rules/{rules_version()}")


def current() -> Recogniser:
    """The recogniser in force (cheap: a stat of the model file per call)."""
    if _override == RULES:
        return rules()
    path = Path(_override) if _override is not None else default_model_path()
    return _load(path, strict=False) or rules()


def problem() -> str | None:
    """Why the model in the data folder was not used (it could not be read), if it was not."""
    return _problem


def recogniser_version() -> str:
    """The identity of the recogniser in force: ``rules/<hash>`` or ``model/<hash>/rules/<hash>``
    (a model uses the rules as features). Key caches of recognised entities by it."""
    return current().version


def _load(path: Path, *, strict: bool) -> Recogniser | None:
    global _problem
    try:
        stat = path.stat()
    except OSError:
        if strict:
            from reader.entities.crf import ModelError

            raise ModelError(f"{path}: no such model file") from None
        return None
    key = (str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size)
    with _lock:
        found = _loaded.get(key)
        if found is not None:
            return found
        from reader.entities.crf import CrfModel, ModelError

        try:
            model = CrfModel(path)
        except ModelError as exc:
            if strict:
                raise
            _problem = str(exc)
            return None
        _problem = None
        found = Recogniser(model, f"model/{model.digest}/rules/{rules_version()}")
        _loaded.clear()  # one model at a time
        _loaded[key] = found
        return found
