"""A writer process for the storage tests. It saves, one at a time, and prints each one's name
once the save returned (acknowledged):

- ``tags``: tags through the edits service (a journal append each);
- ``notes:SIZE``: notes of SIZE characters through the edits service;
- ``articles``: new articles, each one import (a rewrite of the importer's metadata shard).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from annotations.edits import Edits
from annotations.library import Library
from annotations.model import Article


def main() -> None:
    folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    article, mode = sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else "tags"
    library = Library(folder, annotator=name)
    edits = Edits(library)
    run = f"{name}{os.getpid()}"  # unique to this process: rounds never repeat a name
    for i in range(count):
        marker = f"{run}-{i}"
        if mode.startswith("notes:"):
            edits.add_note(article, f"{marker} " + "n" * int(mode.partition(":")[2]))
        elif mode == "articles":
            new = Article(title=marker, paragraphs=[("paragraph", f"Metin {marker}.")])
            library.add_articles([new])
            marker = new.id
        else:
            edits.tag(article, marker)
        print(marker, flush=True)


if __name__ == "__main__":
    main()
