"""The CLI does not load Textual until it starts the app: a run-time check, since the static
contracts allow its lazy import of the app. Which package may import which (``annotations``
never imports textual, rich or reader, ...) is checked by ``lint-imports`` (pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_cli_commands_do_not_import_textual():
    loaded = _modules_after("from reader.cli import build_parser; build_parser()")
    assert "textual" not in loaded
