"""Build en_lemmas.tsv.gz (English form -> lemmas) from an installed lemminflect's lookup tables.

Run once when updating the table: pip install lemminflect==0.2.3 && python storage/data/build_en_lemmas.py
newsmon reads the table itself (storage/lemmas.py), so neither lemminflect nor its numpy is a dependency.
The data is lemminflect's, under its MIT licence (LEMMINFLECT_LICENSE beside this file).
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    spec = importlib.util.find_spec("lemminflect")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("lemminflect is not installed: pip install lemminflect==0.2.3")
    resources = Path(list(spec.submodule_search_locations)[0]) / "resources"
    table: dict[str, set[str]] = {}
    with gzip.open(resources / "lemma_lu.csv.gz", "rt", encoding="utf-8") as lookup:
        for form, _upos, lemmas in csv.reader(lookup):
            table.setdefault(form.lower(), set()).update(lemma.lower() for lemma in lemmas.split("/"))
    with open(resources / "lemma_overrides.csv", encoding="utf-8") as overrides:
        for row in csv.reader(line for line in overrides if line.strip() and not line.startswith("#")):
            table.setdefault(row[0].lower(), set()).add(row[2].lower())
    rows = sorted((form, sorted(lemmas)) for form, lemmas in table.items() if form.isascii() and form.isalpha())
    text = "".join(f"{form}\t{' '.join(lemmas)}\n" for form, lemmas in rows)
    (HERE / "en_lemmas.tsv.gz").write_bytes(gzip.compress(text.encode("utf-8"), mtime=0))
    print(f"{len(rows)} forms written to {HERE / 'en_lemmas.tsv.gz'}")


if __name__ == "__main__":
    main()
