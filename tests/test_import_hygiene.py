"""Layering: ``annotations`` never imports textual or reader; the CLI does not load Textual."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_annotations_is_headless():
    loaded = _modules_after(
        "import annotations.library, annotations.yamlio, annotations.storage, annotations.model"
    )
    assert not {m for m in loaded if m.split(".")[0] in {"textual", "reader"}}


def test_cli_commands_do_not_import_textual():
    loaded = _modules_after("from reader.cli import build_parser; build_parser()")
    assert "textual" not in loaded
