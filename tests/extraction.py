"""Extraction quality: token precision, recall and F1 of the citable text the importer keeps from saved pages.

Each page in tests/data/pages/ (news-like pages with navigation, ads, cookie banners, related links,
comment forms, share buttons and captions) has its article written out by hand beside it (.txt).
`make extraction` prints the table; `--compare` also scores readability-lxml and jusText when they
are installed (they are not dependencies: the comparison in the README was made with them).
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "data" / "pages"
FLOOR_F1 = 0.95  # the mean over all pages; see the README for why
FLOOR_PAGE_F1 = 0.85  # and no single page below this


def tokens(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text.lower()))


def score(found: str, expected: str) -> tuple[float, float, float]:
    got, want = tokens(found), tokens(expected)
    common = sum((got & want).values())
    precision = common / max(sum(got.values()), 1)
    recall = common / max(sum(want.values()), 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def citable_text(html: bytes, name: str) -> str:
    """What the importer lets editors cite from a page: its non-boilerplate passages."""
    from factline import ingest

    prepared = ingest.read(html, filename=name)
    return "\n".join(p.text for p in prepared.passages if not p.boilerplate)


def pages() -> list[tuple[str, bytes, str]]:
    return [
        (path.name, path.read_bytes(), path.with_suffix(".txt").read_text(encoding="utf-8"))
        for path in sorted(PAGES.glob("*.html"))
    ]


def measure(extractor: Callable[[bytes, str], str]) -> list[tuple[str, float, float, float]]:
    return [(name, *score(extractor(html, name), expected)) for name, html, expected in pages()]


def _readability(html: bytes, name: str) -> str:
    import lxml.html
    from readability import Document

    document = Document(html)
    body = lxml.html.fromstring(document.summary())
    return document.short_title() + "\n" + "\n".join(body.itertext())


def _justext(html: bytes, name: str) -> str:
    import justext

    return "\n".join(p.text for p in justext.justext(html, justext.get_stoplist("English")) if not p.is_boilerplate)


def report(label: str, rows: list[tuple[str, float, float, float]]) -> float:
    print(f"\n{label}\n{'page':28} precision  recall     F1")
    for name, precision, recall, f1 in rows:
        print(f"{name:28} {precision:9.3f} {recall:7.3f} {f1:6.3f}")
    mean = [sum(row[i] for row in rows) / len(rows) for i in (1, 2, 3)]
    print(f"{'mean':28} {mean[0]:9.3f} {mean[1]:7.3f} {mean[2]:6.3f}")
    return mean[2]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import django

    django.setup()
    f1 = report("Factline importer (trafilatura, then the boilerplate rules)", measure(citable_text))
    if "--compare" in sys.argv:
        for label, extractor in [("readability-lxml", _readability), ("jusText", _justext)]:
            try:
                report(label, measure(extractor))
            except ImportError:
                print(f"\n{label}: not installed")
    print(f"\nFloor: mean F1 {FLOOR_F1}, each page {FLOOR_PAGE_F1}.")
    return 0 if f1 >= FLOOR_F1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
