"""Importing sources and changing what editors may change about them."""

from __future__ import annotations

import datetime
import hashlib
from pathlib import Path
from typing import Any

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from factline.importer import split_passages
from factline.models import Membership, Passage, Source
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
    published: datetime.date | None = None,
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
    with transaction.atomic():
        source = Source(
            title=title or passages[0].text[:300],
            publisher=publisher,
            author=author,
            url=url,
            published=published,
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
    return source


EDITABLE_SOURCE_FIELDS = {
    "title",
    "publisher",
    "author",
    "url",
    "published",
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
    for field, value in changes.items():
        setattr(source, field, value)
    source.full_clean(exclude=["checksum"])
    record(source, actor, Action.EDITED, reason=reason)
    source.save()
    return source
