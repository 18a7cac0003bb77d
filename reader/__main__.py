"""``python -m reader`` and the ``reader`` command."""

from __future__ import annotations

import sys


def main() -> None:
    from reader.cli import run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
