"""Importing sources, staging them for a preview, changing their details, and rating them per timeline."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from factline import dates, ingest, mentions
from factline.ingest import ImportRefused, Prepared
from factline.models import (
    DateMention,
    Membership,
    Passage,
    Source,
    SourceOriginal,
    SourceRating,
    StagedSource,
    Timeline,
)
from factline.models.timelines import Role
from factline.services.base import Action, PermissionDenied, User, one_change, record, recorded, require_role

__all__ = [
    "ImportRefused",
    "may_edit_sources",
    "source_create",
    "source_create_staged",
    "source_find_dates",
    "source_import",
    "source_rate",
    "source_stage",
    "source_update",
    "staged_for",
]

STAGED_FOR = datetime.timedelta(hours=2)
STAGED_PER_PERSON = 5


def may_edit_sources(user: User) -> bool:
    """Sources are one shared library: anyone who edits a timeline may add and correct them."""
    return user.is_authenticated and Membership.objects.filter(user=user, role__in=Role.at_least(Role.EDITOR)).exists()


def _refuse_unless_editor(actor: User | None) -> None:
    if actor is not None and not may_edit_sources(actor):
        raise PermissionDenied("Only editors of a timeline add or change sources.")


def _import_note(prepared: Prepared) -> str:
    if prepared.address:
        return f"Fetched from {prepared.address}"
    if prepared.filename:
        return f"Imported from {prepared.filename}"
    return "Pasted in the browser"


@one_change
def source_create(
    *,
    actor: User | None,
    prepared: Prepared,
    title: str = "",
    publisher: str = "",
    author: str = "",
    url: str = "",
    published: datetime.date | dates.PartialDate | None = None,
    language: str = "",
    reason: str = "",
) -> Source:
    """Save a prepared source, its passages and its original, with history; refuse a duplicate, write nothing."""
    _refuse_unless_editor(actor)
    existing = ingest.find_duplicate(prepared)
    if existing is not None:
        raise ingest.duplicate_refusal(prepared, existing)
    meta = prepared.metadata
    address = prepared.final_address or prepared.address
    if isinstance(published, datetime.date):
        published = dates.PartialDate(published)
    if published is None and prepared.published is not None:
        published = dates.PartialDate(prepared.published)
    source = Source(
        title=(title or meta.get("title") or prepared.passages[0].text).strip()[:300],
        publisher=publisher or meta.get("publisher", ""),
        author=author or meta.get("author", ""),
        url=url or (address if len(address) <= 500 else ""),
        published=published.date if published else None,
        published_precision=published.precision if published else dates.DAY,
        published_approximate=published.approximate if published else False,
        language=language or meta.get("language") or "en",
        retrieved=prepared.fetched or timezone.now(),
        text=prepared.text,
        origin=Path(prepared.filename).name if prepared.filename else address[:255] or "pasted text",
        checksum=prepared.checksum,
        text_hash=prepared.text_hash,
    )
    source.full_clean(exclude=["checksum", "text_hash", "replaces"], validate_unique=False)
    note = _import_note(prepared)
    try:
        with transaction.atomic():  # a savepoint: a race lost to the unique constraints leaves nothing
            record(source, actor, Action.IMPORTED, reason=reason, note=note)
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
                    for p in prepared.passages
                ],
                Passage,
                default_user=actor,
                default_change_reason=reason.strip() or None,
                custom_historical_attrs=recorded(Action.IMPORTED, note),
            )
            if prepared.keeps_original:
                SourceOriginal.objects.create(
                    source=source,
                    data=prepared.data,
                    content_type=prepared.content_type[:100],
                    filename=Path(prepared.filename).name[:255],
                    sha256=prepared.checksum,
                    address=prepared.address,
                    final_address=prepared.final_address,
                    fetched=prepared.fetched,
                )
            source_find_dates(source=source)
    except IntegrityError:
        existing = ingest.find_duplicate(prepared)
        if existing is None:
            raise
        raise ingest.duplicate_refusal(prepared, existing) from None
    return source


def source_import(
    *, data: bytes, origin: str, actor: User | None = None, content_type: str = "", **metadata: Any
) -> Source:
    """Import one file (text, HTML or PDF) named `origin` into a source, or refuse naming the file."""
    name = Path(origin).name
    try:
        prepared = ingest.read(data, filename=name, content_type=content_type)
        return source_create(actor=actor, prepared=prepared, **metadata)
    except ImportRefused as refusal:
        raise refusal.named(name) from None


def source_stage(*, actor: User, prepared: Prepared) -> StagedSource:
    """Hold a prepared source for its preview, under a fresh unguessable key bound to `actor`."""
    _refuse_unless_editor(actor)
    now = timezone.now()
    with transaction.atomic():
        StagedSource.objects.filter(expires__lt=now).delete()
        # Each person keeps only their latest few previews: bounded bytes per person.
        kept = StagedSource.objects.filter(user=actor).order_by("-created").values_list("pk", flat=True)
        StagedSource.objects.filter(pk__in=list(kept[STAGED_PER_PERSON - 1 :])).delete()
        return StagedSource.objects.create(
            key=secrets.token_urlsafe(32),
            user=actor,
            data=prepared.data,
            size=len(prepared.data),
            content_type=prepared.content_type[:100],
            filename=prepared.filename[:255],
            address=prepared.address,
            final_address=prepared.final_address,
            fetched=prepared.fetched,
            text=prepared.text,
            metadata={**prepared.metadata, "kind": prepared.kind},
            expires=now + STAGED_FOR,
        )


def staged_for(user: User, key: str) -> StagedSource | None:
    """`user`'s own preview with `key`, while it lasts."""
    if not user.is_authenticated or not key or len(key) > 64:
        return None
    return StagedSource.objects.filter(key=key, user=user, expires__gte=timezone.now()).first()


def prepared_from(staged: StagedSource) -> Prepared:
    metadata = dict(staged.metadata)
    kind = metadata.pop("kind", "text")
    return Prepared(
        data=bytes(staged.data),
        content_type=staged.content_type,
        kind=kind,
        text=staged.text,
        metadata=metadata,
        filename=staged.filename,
        address=staged.address,
        final_address=staged.final_address,
        fetched=staged.fetched,
    )


@one_change
def source_create_staged(*, actor: User, staged: StagedSource, **details: Any) -> Source:
    """Save the previewed source and forget the preview, in one transaction."""
    source = source_create(actor=actor, prepared=prepared_from(staged), **details)
    StagedSource.objects.filter(pk=staged.pk).delete()
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
    "replaces",
}


@one_change
def source_update(*, source: Source, actor: User | None, reason: str = "", **changes: Any) -> Source:
    """Change a source's metadata; its text is evidence and cannot be changed."""
    _refuse_unless_editor(actor)
    unknown = set(changes) - EDITABLE_SOURCE_FIELDS
    if unknown:
        raise ValueError(f"These cannot be changed on a source: {', '.join(sorted(unknown))}.")
    source = Source.objects.select_for_update().get(pk=source.pk)
    dated_before = (source.published_date, source.language)
    for name, value in changes.items():
        setattr(source, name, value)
    source.full_clean(exclude=["checksum", "text_hash"])
    record(source, actor, Action.EDITED, reason=reason)
    source.save()
    if (source.published_date, source.language) != dated_before:
        source_find_dates(source=source)  # "last year" means another year now
    return source


@one_change
def source_rate(
    *, actor: User | None, timeline: Timeline, source: Source, reliability: str, reason: str = "", summary: str = ""
) -> SourceRating | None:
    """Set `timeline`'s rating of `source` (editors of that timeline only); an empty reliability removes it."""
    require_role(actor, timeline, Role.EDITOR)
    # Lock the timeline row: two editors rating at once queue here instead of both creating a rating.
    Timeline.objects.select_for_update().filter(pk=timeline.pk).first()
    rating = SourceRating.objects.filter(timeline=timeline, source=source).first()
    if not reliability:
        if rating is not None:
            record(rating, actor, Action.DELETED, reason=summary, note="Rating removed")
            rating.delete()
        return None
    if rating is None:
        rating = SourceRating(timeline=timeline, source=source)
    elif (rating.reliability, rating.reason) == (reliability, reason.strip()):
        return rating
    rating.reliability = reliability
    rating.reason = reason.strip()
    rating.full_clean(exclude=["timeline", "source"], validate_unique=False)
    record(rating, actor, Action.EDITED if rating.pk else Action.CREATED, reason=summary)
    rating.save()
    return rating
