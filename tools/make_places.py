"""Regenerate reader/entities/data/countries.txt from pycountry (English and Turkish names).

    pip install pycountry && python tools/make_places.py

Run by developers only: the app reads the generated file and never imports pycountry.
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "reader" / "entities" / "data" / "countries.txt"


def main() -> None:
    turkish = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["tr"])
    names: set[str] = set()
    for country in pycountry.countries:
        for name in (
            country.name,
            getattr(country, "common_name", None),
            turkish.gettext(country.name),
        ):
            if name and "," not in name and "(" not in name:
                names.add(name)
    header = "# Country names in English and Turkish, from pycountry (tools/make_places.py)\n"
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names -> {OUT}")


if __name__ == "__main__":
    main()
