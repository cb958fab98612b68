"""Importing sources and changing what editors may change about them."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from factline import dates, mentions
from factline.importer import split_passages
from factline.models import DateMention, Membership, Passage, Source
from factline.models.timelines import Role
from factline.services.base import Action, PermissionDenied, User, one_change, record, recorded


class ImportRefused(ValueError):
    """The file cannot be imported; the message says why in one line."""


@one_change
def source_import(
    *,
    data: bytes,
    origin: str,
    actor: User | None = None,
    title: str = "",
    publisher: str = "",
    author: str = "",
    url: str = "",
    published: datetime.date | dates.PartialDate | None = None,
    language: str = "en",
) -> Source:
    """Import one UTF-8 article into a Source and its numbered passages, or refuse without writing."""
    name = Path(origin).name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ImportRefused(f"{name}: not UTF-8 text (bad byte at position {error.start}).") from None
    if "\x00" in text:
        raise ImportRefused(f"{name}: not a text file (it contains NUL bytes).")
    text = text.removeprefix("\ufeff")
    passages = split_passages(text)
    if not passages:
        raise ImportRefused(f"{name}: the file is empty.")
    checksum = hashlib.sha256(data).hexdigest()
    existing = Source.objects.filter(checksum=checksum).first()
    if existing is not None:
        raise ImportRefused(f"{name}: already imported as source {existing.pk} (“{existing.title}”).")
    if isinstance(published, datetime.date):
        published = dates.PartialDate(published)
    with transaction.atomic():
        source = Source(
            title=title or passages[0].text[:300],
            publisher=publisher,
            author=author,
            url=url,
            published=published.date if published else None,
            published_precision=published.precision if published else dates.DAY,
            published_approximate=published.approximate if published else False,
            language=language,
            text=text,
            origin=name,
            checksum=checksum,
        )
        record(source, actor, Action.IMPORTED, note=f"Imported from {name}")
        source.save()
        bulk_create_with_history(
            [
                Passage(
                    source=source,
                    number=p.number,
                    start=p.start,
                    end=p.end,
                    text=p.text,
                    kind=p.kind,
                    boilerplate=p.boilerplate,
                    boilerplate_reason=p.boilerplate_reason,
                )
                for p in passages
            ],
            Passage,
            default_user=actor,
            custom_historical_attrs=recorded(Action.IMPORTED, f"Imported from {name}"),
        )
        source_find_dates(source=source)
    return source


# Not citable, but where an article says when it was written: what its publication date rests on.
DATED_BOILERPLATE = ("byline",)


def source_find_dates(*, source: Source) -> int:
    """Find and resolve the date expressions of the source's passages again, from its publication date.

    Mentions are derived data (no history): recomputed whole whenever the date or the language changes.
    Citable passages and bylines are read; the rest of the boilerplate is noise.
    """
    passages = source.passages.filter(Q(boilerplate=False) | Q(boilerplate_reason__in=DATED_BOILERPLATE))
    found = [
        DateMention(
            passage=passage,
            start=m.start,
            end=m.end,
            text=m.text[:200],
            value=m.value,
            precision=m.precision if m.value else "",
            approximate=m.approximate,
            kind=m.kind,
            reason=m.reason,
        )
        for passage in passages.only("pk", "text")
        for m in mentions.find(passage.text, language=source.language, published=source.published_date)
    ]
    with transaction.atomic():
        DateMention.objects.filter(passage__source=source).delete()
        DateMention.objects.bulk_create(found, batch_size=500)
    return len(found)


EDITABLE_SOURCE_FIELDS = {
    "title",
    "publisher",
    "author",
    "url",
    "published",
    "published_precision",
    "published_approximate",
    "language",
    "reliability",
    "reliability_note",
    "replaces",
}


def may_edit_sources(user: User) -> bool:
    """Sources are one shared library: anyone who edits a timeline may correct and rate them."""
    return user.is_authenticated and Membership.objects.filter(user=user, role__in=Role.at_least(Role.EDITOR)).exists()


@one_change
def source_update(*, source: Source, actor: User | None, reason: str = "", **changes: Any) -> Source:
    """Change a source's metadata or rating; its text is evidence and cannot be changed."""
    if actor is not None and not may_edit_sources(actor):
        raise PermissionDenied("Only editors of a timeline change sources.")
    unknown = set(changes) - EDITABLE_SOURCE_FIELDS
    if unknown:
        raise ValueError(f"These cannot be changed on a source: {', '.join(sorted(unknown))}.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    dated_before = (source.published_date, source.language)
    for field, value in changes.items():
        setattr(source, field, value)
    source.full_clean(exclude=["checksum"])
    record(source, actor, Action.EDITED, reason=reason)
    source.save()
    if (source.published_date, source.language) != dated_before:
        source_find_dates(source=source)  # "last year" means another year now
    return source
