"""Writing entries: every save is one version and one history record, or a refused conflict."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F

from factline.models import Entry, Passage, Timeline
from factline.models.timelines import Role, Stance, Status
from factline.services.base import Action, EditConflict, User, one_change, record, require_role
from factline.services.citations import citation_create

ENTRY_FIELDS = {
    "start",
    "precision",
    "end",
    "end_precision",
    "approximate",
    "date_note",
    "headline",
    "body",
    "place",
    "tags",
    "status",
}


def normalise_tags(tags: str | Iterable[str]) -> str:
    """Tags as an entry keeps them: trimmed, lower case, each once, separated by commas."""
    parts = tags.split(",") if isinstance(tags, str) else tags
    return ", ".join(dict.fromkeys(t.strip().lower() for t in parts if t.strip()))


def _normalise(changes: dict[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - ENTRY_FIELDS
    if unknown:
        raise ValueError(f"These cannot be set on an entry: {', '.join(sorted(unknown))}.")
    if "tags" in changes:
        changes["tags"] = normalise_tags(changes["tags"])
    if "date_note" in changes:
        changes["date_note"] = (changes["date_note"] or "").strip()
    if "end" in changes and changes["end"] is None:
        changes["end_precision"] = ""
    return changes


@one_change
def entry_create(
    *,
    actor: User | None,
    timeline: Timeline,
    start: datetime.date,
    headline: str,
    reason: str = "",
    loaded_from: str = "",
    **fields: Any,
) -> Entry:
    """Add an entry to `timeline`; it starts as a draft unless `status` says otherwise.

    A loader says where it took the entry from in `loaded_from` (kept in the history as a note).
    """
    require_role(actor, timeline, Role.EDITOR)
    entry = Entry(timeline=timeline, start=start, headline=headline, **_normalise(fields))
    entry.full_clean(exclude=["timeline"])
    if loaded_from:
        record(entry, actor, Action.LOADED, reason=reason, note=f"Loaded from {loaded_from}")
    else:
        record(entry, actor, Action.CREATED, reason=reason)
    entry.save()
    return entry


@one_change
def entry_create_citing(
    *, actor: User | None, timeline: Timeline, passage: Passage, quote: str, reason: str = "", **fields: Any
) -> Entry:
    """Add an entry with `quote` of `passage` cited as supporting it, or nothing at all."""
    entry = entry_create(actor=actor, timeline=timeline, reason=reason, **fields)
    citation_create(actor=actor, entry=entry, passage=passage, quote=quote, stance=Stance.SUPPORTS)
    return entry


def claim_version(entry: Entry, expected_version: int | None) -> None:
    """Take the entry's next version, or raise EditConflict when it is no longer at `expected_version`."""
    claimed = Entry.objects.filter(pk=entry.pk)
    if expected_version is not None:
        claimed = claimed.filter(version=expected_version)
    # One conditional UPDATE claims the next version: on PostgreSQL it waits for a concurrent
    # save and then finds the version gone, on SQLite writes are serialised; either way exactly
    # one of two racing saves wins and the other is told, never silently overwritten.
    if not claimed.update(version=F("version") + 1):
        current = Entry.objects.select_related("timeline").get(pk=entry.pk)
        raise EditConflict(current, expected_version or current.version)


@one_change
def entry_update(
    *,
    entry: Entry,
    actor: User | None,
    expected_version: int | None = None,
    reason: str = "",
    loaded_from: str = "",
    **changes: Any,
) -> Entry:
    """Save changes made to the entry as it was at `expected_version`, or raise EditConflict.

    A loader says where it took the changes from in `loaded_from` (kept in the history as a note).
    """
    if loaded_from:
        note = f"Loaded from {loaded_from}"
        return _update(entry, actor, expected_version, Action.LOADED, reason=reason, note=note, **changes)
    return _update(entry, actor, expected_version, Action.EDITED, reason=reason, **changes)


def _update(
    entry: Entry,
    actor: User | None,
    expected_version: int | None,
    action: Action,
    *,
    reason: str = "",
    note: str = "",
    **changes: Any,
) -> Entry:
    require_role(actor, entry.timeline, Role.EDITOR)
    changes = _normalise(changes)
    claim_version(entry, expected_version)
    current = Entry.objects.select_related("timeline").get(pk=entry.pk)
    publishing = changes.get("status") == Status.PUBLISHED and current.status != Status.PUBLISHED
    if publishing and actor is not None and current.timeline.two_person_rule:
        raise ValidationError(
            {"status": "On this timeline a second editor publishes: ask for review instead."}, code="needs_review"
        )
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean(exclude=["timeline"])
    record(current, actor, action, reason=reason, note=note)
    current.save()
    return current


@one_change
def entry_set_status(
    *, entry: Entry, actor: User | None, status: str, expected_version: int | None = None, reason: str = ""
) -> Entry:
    """Publish the entry (it needs a supporting citation) or take it back to draft."""
    action = Action.PUBLISHED if status == Status.PUBLISHED else Action.UNPUBLISHED
    return _update(entry, actor, expected_version, action, reason=reason, note=action.label, status=status)


@one_change
def entry_delete(*, entry: Entry, actor: User | None, expected_version: int | None = None, reason: str = "") -> None:
    """Delete an entry and its citations; history keeps both, so it can be restored.

    With `expected_version`, refuse (EditConflict) when someone saved the entry since it was shown.
    """
    require_role(actor, entry.timeline, Role.EDITOR)
    current = Entry.objects.select_for_update().select_related("timeline").get(pk=entry.pk)
    if expected_version is not None and current.version != expected_version:
        raise EditConflict(current, expected_version)
    # Each citation is deleted as itself, not by the entry's cascade (which would fetch fresh copies and
    # lose who and why). Model.delete skips Citation.delete's last-support guard: the entry goes too.
    for citation in entry.citations.all():
        record(citation, actor, Action.DELETED, reason=reason, note="Deleted with its entry")
        models.Model.delete(citation)
    record(entry, actor, Action.DELETED, reason=reason, note="Deleted")
    entry.delete()
