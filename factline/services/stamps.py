"""Each timeline's own change stamps, moved by every history row a change writes.

`Timeline.stamp` counts every change that shows on any of its pages (entries, citations, their
sources' details, ratings, settings, members, sharing); `Timeline.published_stamp` and
`published_at` only those a public page shows (work on drafts and members are not for readers to
see). Pages built once per change are cached under them, and a revalidation reads one row.

Derived from history rows rather than listed in each service, so a service (or a field) added later
moves the stamps without anyone remembering to: whatever is tracked and saved counts. A service's
rows are gathered while it runs and the stamps move once, last, in its transaction; a tracked save
outside any service moves them at once.
"""

from __future__ import annotations

from contextvars import ContextVar

from django.db import models
from django.db.models import F
from django.utils import timezone

# {timeline id: whether readers see the change} for the change running now; None outside one.
_PENDING: ContextVar[dict[int, bool] | None] = ContextVar("factline_stamps", default=None)


def begin() -> object:
    return _PENDING.set({})


def end(token: object, *, flush: bool) -> None:
    pending = _PENDING.get()
    _PENDING.reset(token)  # type: ignore[arg-type]
    if flush and pending:
        move(pending)


def move(timelines: dict[int, bool]) -> None:
    """Move the stamps of `timelines` ({id: public}), in id order (two changes lock rows alike)."""
    from factline.models import Timeline

    now = timezone.now()
    everyone = sorted(timelines)
    public = [pk for pk in everyone if timelines[pk]]
    if public:
        Timeline.objects.filter(pk__in=public).update(
            stamp=F("stamp") + 1, published_stamp=F("published_stamp") + 1, published_at=now
        )
    private = [pk for pk in everyone if not timelines[pk]]
    if private:
        Timeline.objects.filter(pk__in=private).update(stamp=F("stamp") + 1)


def note(instance: models.Model, row: models.Model) -> None:
    """Mark the timelines history row `row` (of `instance`) changes; from pre_create_historical_record."""
    found = touched(instance, row)
    if not found:
        return
    pending = _PENDING.get()
    if pending is None:
        move(found)
        return
    for pk, public in found.items():
        pending[pk] = pending.get(pk, False) or public


def touched(instance: models.Model, row: models.Model) -> dict[int, bool]:
    """{timeline id: whether a reader sees it} for one history row about to be written."""
    from factline.models import Citation, Entry, Membership, Passage, Snapshot, Source, SourceRating, Timeline
    from factline.models.timelines import Status

    kind = getattr(row, "history_type", "+")
    if isinstance(instance, Timeline):
        return {instance.pk: True}
    if isinstance(instance, Entry):
        public = instance.status == Status.PUBLISHED
        if not public and kind != "+":  # a draft now: was it published until this change (unpublished)?
            before = Entry.history.filter(id=instance.pk).order_by("-history_date", "-history_id").first()
            public = before is not None and before.status == Status.PUBLISHED
        return {instance.timeline_id: public}
    if isinstance(instance, Citation):
        entry = Entry.objects.filter(pk=instance.entry_id).values("timeline_id", "status").first()
        if entry is None:  # its entry went in the same change, whose own row said so
            return {}
        return {entry["timeline_id"]: entry["status"] == Status.PUBLISHED}
    if isinstance(instance, (SourceRating, Membership, Snapshot)):
        return {instance.timeline_id: isinstance(instance, SourceRating)}
    if isinstance(instance, (Source, Passage)):
        if kind == "+":  # nothing cites what was just made
            return {}
        source_id = instance.pk if isinstance(instance, Source) else instance.source_id
        found: dict[int, bool] = {}
        citing = Citation.objects.filter(passage__source_id=source_id).values_list(
            "entry__timeline_id", "entry__status"
        )
        for timeline_id, status in citing.distinct():
            found[timeline_id] = found.get(timeline_id, False) or status == Status.PUBLISHED
        return found
    return {}
