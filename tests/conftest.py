"""Shared fixtures: every test runs with its own home, config and data folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.library import Library
from reader.ingest import parse_path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "reader" / "samples"
SAMPLE = SAMPLES / "000_6b0b2ef26e7569ca.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--full", action="store_true", help="run stress loops at full size")


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))  # the entity counts' cache
    monkeypatch.delenv("READER_LIBRARY", raising=False)
    monkeypatch.delenv("READER_CONFIG", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    return home


@pytest.fixture
def full(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--full"))


@pytest.fixture
def library(tmp_path: Path) -> Library:
    return Library(tmp_path / "lib", annotator="ayse")


@pytest.fixture
def sample_library(library: Library) -> Library:
    from reader.core.importing import import_samples

    import_samples(library)
    return library


@pytest.fixture
def sample_article():
    return parse_path(SAMPLE).articles[0]


def run_cli(*args: str, library: Path | None = None, env: dict | None = None, **kw):
    """Run ``python -m reader`` as a real process; output captured as text."""
    full_env = dict(os.environ)
    if library is not None:
        full_env["READER_LIBRARY"] = str(library)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "reader", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=kw.pop("cwd", ROOT),
        timeout=120,
        **kw,
    )
