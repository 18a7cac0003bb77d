"""A writer process for the storage tests: adds tags (edits service), printing each once saved."""

from __future__ import annotations

import sys
from pathlib import Path

from annotations.edits import Edits
from annotations.library import Library


def main() -> None:
    folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    article = sys.argv[4]
    edits = Edits(Library(folder, annotator=name))
    for i in range(count):
        edits.tag(article, f"{name}-{i}")
        print(f"{name}-{i}", flush=True)  # acknowledged: the save returned


if __name__ == "__main__":
    main()
