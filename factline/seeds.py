"""Loading the seed corpus: the articles with their metadata, and the demo timeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from factline import dates
from factline.models import DateMention, Entry, Passage, Source, Timeline
from factline.models.ratings import Reliability
from factline.models.timelines import Status
from factline.quotes import QuoteNotFound, anchor
from factline.services import (
    citation_create,
    entry_create,
    entry_set_status,
    entry_update,
    source_find_dates,
    source_import,
    source_rate,
    timeline_create,
)

SEEDS_DIR = Path(settings.BASE_DIR) / "seeds"


class SeedError(ValueError):
    """The seed files are inconsistent; the message names the entry and quote at fault."""


@dataclass
class SeedReport:
    sources_imported: int = 0
    sources_present: int = 0
    timeline_created: bool = False
    entries: int = 0
    citations: int = 0
    ratings: int = 0


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise SeedError(f"{path}: {error}") from None


@transaction.atomic
def load_seeds(seeds_dir: Path = SEEDS_DIR) -> SeedReport:
    """Import what is not there yet; running it again changes nothing."""
    report = SeedReport()
    by_file = _load_sources(seeds_dir, report)
    _load_timeline(seeds_dir / "mali-timeline.json", by_file, report)
    return report


def _load_sources(seeds_dir: Path, report: SeedReport) -> dict[str, Source]:
    by_file: dict[str, Source] = {}
    for meta in _read_json(seeds_dir / "sources.json")["sources"]:
        name = meta["file"]
        existing = Source.objects.filter(origin=name).first()
        if existing is not None:
            by_file[name] = existing
            report.sources_present += 1
            if not DateMention.objects.filter(passage__source=existing).exists():
                source_find_dates(source=existing)  # imported before dates were found
            continue
        published = meta.get("published")
        by_file[name] = source_import(
            data=(seeds_dir / "articles" / name).read_bytes(),
            origin=name,
            title=meta.get("title", ""),
            publisher=meta.get("publisher", ""),
            author=meta.get("author", ""),
            url=meta.get("url", ""),
            published=dates.parse(published) if published else None,
            language=meta.get("language") or "en",
        )
        report.sources_imported += 1
    return by_file


def find_passage(source: Source, quote: str) -> Passage:
    """The first citable passage of `source` that holds `quote` word for word."""
    for passage in source.passages.filter(boilerplate=False).order_by("number"):
        try:
            anchor(passage.text, quote)
        except QuoteNotFound:
            continue
        return passage
    raise QuoteNotFound(quote)


def _load_ratings(ratings: list[dict], timeline: Timeline, by_file: dict[str, Source], report: SeedReport) -> None:
    """The demo timeline's own ratings of its sources: {"source": file, "reliability": ..., "reason": ...}."""
    for item in ratings:
        source = by_file.get(item.get("source", ""))
        if source is None:
            raise SeedError(f"A rating names {item.get('source')!r}, which is not in sources.json.")
        if item.get("reliability") not in Reliability.values:
            choices = ", ".join(Reliability.values)
            raise SeedError(f"The rating of {item['source']} is {item.get('reliability')!r}: use one of {choices}.")
        source_rate(
            actor=None,
            timeline=timeline,
            source=source,
            reliability=item["reliability"],
            reason=item.get("reason", ""),
            summary="Loaded from the seed timeline",
        )
        report.ratings += 1


def _load_timeline(path: Path, by_file: dict[str, Source], report: SeedReport) -> None:
    data = _read_json(path)
    meta = data["timeline"]
    if Timeline.objects.filter(slug=meta["slug"]).exists():
        return
    timeline = timeline_create(
        actor=None, title=meta["title"], description=meta.get("description", ""), slug=meta["slug"]
    )
    report.timeline_created = True
    _load_ratings(data.get("ratings", []), timeline, by_file, report)
    items = data["entries"]
    by_headline = {item["headline"]: item for item in items}
    loaded: list[tuple[dict, Entry]] = []
    for item in items:
        start = dates.parse(item["date"])
        fields: dict[str, Any] = {}
        if item.get("end"):
            end = dates.parse(item["end"])
            fields = {"end": end.date, "end_precision": end.precision}
        entry = entry_create(
            actor=None,
            timeline=timeline,
            start=start.date,
            precision=start.precision,
            approximate=bool(item.get("approximate")) or start.approximate,
            date_note=item.get("date_note", ""),
            headline=item["headline"],
            body=item.get("body", ""),
            place=item.get("place", ""),
            tags=item.get("tags", []),
            loaded_from="the seed timeline",
            **fields,
        )
        for cited in item["citations"]:
            source = by_file.get(cited["source"])
            if source is None:
                raise SeedError(f"Entry “{item['headline']}” cites {cited['source']}, which is not in sources.json.")
            try:
                passage = find_passage(source, cited["quote"])
            except QuoteNotFound:
                raise SeedError(
                    f"Entry “{item['headline']}”: the quote “{cited['quote']}” is not in any citable passage "
                    f"of {cited['source']}."
                ) from None
            citation_create(actor=None, entry=entry, passage=passage, quote=cited["quote"], stance=cited["stance"])
            report.citations += 1
        loaded.append((item, entry))
        report.entries += 1
    entries = {item["headline"]: entry for item, entry in loaded}
    for item, entry in loaded:
        see_also = _see_also(item["headline"], item.get("related") or [], by_headline, entries)
        if see_also:
            body = "\n\n".join(part for part in (item.get("body", "").rstrip(), see_also) if part)
            entry = entry_update(entry=entry, actor=None, body=body, loaded_from="the seed timeline's cross-references")
        if _published(item):
            entry_set_status(entry=entry, actor=None, status=Status.PUBLISHED)


def _published(item: dict) -> bool:
    return item.get("status", Status.PUBLISHED) == Status.PUBLISHED


_LINK_TEXT = str.maketrans({char: "\\" + char for char in "\\`*_[]<>"})


def _see_also(headline: str, related: list[str], items: dict[str, dict], entries: dict[str, Entry]) -> str:
    """A last line of cross-references, linking to the entries' anchors (`#entry-<pk>` on every page).

    A published entry's body is read on the public page, which shows no drafts: there a draft is left
    out, neither linked (the link would lead nowhere) nor named (its words are not public).
    """
    parts = []
    for other in related:
        if other not in entries or other == headline:
            raise SeedError(f"Entry “{headline}” is related to “{other}”, which is no other entry of the timeline.")
        if _published(items[other]) or not _published(items[headline]):
            parts.append(f"[{other.translate(_LINK_TEXT)}](#entry-{entries[other].pk})")
    return "See also: " + "; ".join(parts) + "." if parts else ""
