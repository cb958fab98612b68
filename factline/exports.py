"""The JSON exports other tools (and our own checks) read."""

from __future__ import annotations

from typing import Any

from factline import selectors
from factline.models import Citation, Entry, Passage, Source, Timeline


def _date(value) -> str | None:
    return value.isoformat() if value else None


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.pk,
        "title": source.title,
        "publisher": source.publisher,
        "published": _date(source.published),
        "origin": source.origin,
    }


def citation_data(citation: Citation) -> dict[str, Any]:
    passage = citation.passage
    return {
        "stance": citation.stance,
        "quote": citation.quote,
        "passage": {"id": passage.pk, "number": passage.number, "text": passage.text},
        "source": source_summary(passage.source),
    }


def entry_data(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "start": entry.start_iso,
        "end": entry.end_iso,
        "precision": entry.precision,
        "approximate": entry.approximate,
        "headline": entry.headline,
        "body": entry.body,
        "status": entry.status,
        "disputed": entry.disputed,
        "citations": [citation_data(c) for c in entry.citations.all()],
    }


def timeline_json(timeline: Timeline, entries: list[Entry] | None = None) -> dict[str, Any]:
    """`{"timeline": {...}, "entries": [...]}`; pass `entries` to export a subset (e.g. published only)."""
    if entries is None:
        entries = list(selectors.entries_of(timeline))
    return {
        "timeline": {"slug": timeline.slug, "title": timeline.title, "description": timeline.description},
        "entries": [entry_data(entry) for entry in entries],
    }


def passage_data(passage: Passage) -> dict[str, Any]:
    return {"id": passage.pk, "number": passage.number, "text": passage.text, "boilerplate": passage.boilerplate}


def sources_json() -> dict[str, Any]:
    return {
        "sources": [
            {**source_summary(source), "passages": [passage_data(p) for p in source.passages.all()]}
            for source in selectors.sources_with_passages().order_by("id")
        ]
    }
