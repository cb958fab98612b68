"""Reviewing entries: marking them reviewed, and the two-person rule (ask for review, approve, send back)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from factline import limits
from factline.models import Entry, Timeline
from factline.models.timelines import Role, Status
from factline.services.base import Action, PermissionDenied, User, one_change, record, require_role
from factline.services.entries import claim_version

REVIEW_FIELDS = ["review_requested_by", "review_requested_at", "review_note"]
NOTE_MAX = limits.REVIEW_NOTE_MAX


def _locked(entry: Entry) -> Entry:
    return Entry.objects.select_for_update().select_related("timeline").get(pk=entry.pk)


@one_change
def entry_mark_reviewed(*, entry: Entry, actor: User | None) -> Entry:
    """Record that `actor` checked the entry as it is now (who and when, in its history); its version stays."""
    require_role(actor, entry.timeline, Role.EDITOR)
    current = _locked(entry)
    current.reviewed_by, current.reviewed_at, current.reviewed_version = actor, timezone.now(), current.version
    record(current, actor, Action.REVIEWED, note="Marked reviewed")
    current.save(update_fields=["reviewed_by", "reviewed_at", "reviewed_version", "updated"])
    return current


@one_change
def timeline_set_two_person_rule(*, timeline: Timeline, actor: User | None, on: bool) -> Timeline:
    """Owners decide whether publishing needs a second editor's approval."""
    require_role(actor, timeline, Role.OWNER)
    current = Timeline.objects.select_for_update().get(pk=timeline.pk)
    current.two_person_rule = on
    record(current, actor, Action.EDITED, note="Publishing needs a second editor" if on else "Editors publish alone")
    current.save()
    return current


@one_change
def entry_request_review(*, entry: Entry, actor: User | None, expected_version: int | None = None) -> Entry:
    """Ask another editor to publish this draft (the two-person rule)."""
    require_role(actor, entry.timeline, Role.EDITOR)
    current = _locked(entry)
    if not current.timeline.two_person_rule:
        raise ValidationError("This timeline does not need a second editor: publish it.", code="no_rule")
    if current.status != Status.DRAFT:
        raise ValidationError("Only a draft waits for review.", code="not_draft")
    if not current._has_support():
        raise ValidationError("An entry can be published only when at least one citation supports it.", code="support")
    claim_version(current, expected_version)
    current.refresh_from_db()
    current.review_requested_by, current.review_requested_at, current.review_note = actor, timezone.now(), ""
    record(current, actor, Action.REVIEW_ASKED, note="Asked for review")
    current.save()
    return current


def _reviewable(entry: Entry, actor: User | None) -> Entry:
    require_role(actor, entry.timeline, Role.EDITOR)
    current = _locked(entry)
    if not current.awaiting_review:
        raise ValidationError("No one is waiting for this entry to be reviewed.", code="not_awaiting")
    if actor is not None and current.review_requested_by_id == actor.pk:
        raise PermissionDenied("Another editor must review it: you asked for this review.")
    return current


@one_change
def entry_approve(*, entry: Entry, actor: User | None, expected_version: int | None = None) -> Entry:
    """Publish a draft another editor asked to have reviewed."""
    current = _reviewable(entry, actor)
    claim_version(current, expected_version)
    current.refresh_from_db()
    asker = current.review_requested_by.get_username() if current.review_requested_by else "someone"
    current.status = Status.PUBLISHED
    current.review_requested_by, current.review_requested_at, current.review_note = None, None, ""
    current.full_clean(exclude=["timeline"])
    record(current, actor, Action.PUBLISHED, note=f"Approved and published (asked by {asker})")
    current.save()
    return current


@one_change
def entry_send_back(*, entry: Entry, actor: User | None, note: str) -> Entry:
    """Return a draft to its editor with a note saying what it needs."""
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say what the entry needs before it can be published."}, code="required")
    if len(note) > NOTE_MAX:
        raise ValidationError({"note": f"Keep the note under {NOTE_MAX} characters."}, code="max_length")
    current = _reviewable(entry, actor)
    current.review_requested_by, current.review_requested_at, current.review_note = None, None, note
    record(current, actor, Action.SENT_BACK, reason=note, note="Sent back")
    current.save(update_fields=[*REVIEW_FIELDS, "updated"])
    return current
