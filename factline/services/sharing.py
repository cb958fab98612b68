"""Sharing a timeline read-only: its public link, its public listing, and frozen snapshots."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone

from factline import selectors
from factline.models import Snapshot, Timeline
from factline.models.timelines import Role
from factline.services.base import Action, User, one_change, record, require_role


def new_token() -> str:
    """An unguessable link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


def _locked(timeline: Timeline) -> Timeline:
    return Timeline.objects.select_for_update().get(pk=timeline.pk)


@one_change
def timeline_share(*, timeline: Timeline, actor: User | None, renew: bool = True, reason: str = "") -> Timeline:
    """Turn the public link on, or replace it with a new one (the old link then answers 410 Gone).

    Without `renew`, a link already on stays as it is: "Turn on" pressed twice must not replace
    the link the first press made.
    """
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    timeline = _locked(timeline)
    replacing = timeline.public_token is not None
    if replacing and not renew:
        return timeline
    timeline.public_token = new_token()
    if replacing:
        record(timeline, actor, Action.LINK_RENEWED, reason=reason, note="Made a new public link")
    else:
        record(timeline, actor, Action.LINK_ON, reason=reason, note="Turned the public link on")
    timeline.save()
    return timeline


@one_change
def timeline_revoke(*, timeline: Timeline, actor: User | None, reason: str = "") -> Timeline:
    """Turn the public link off: it answers 410 Gone from now on."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    timeline = _locked(timeline)
    if timeline.public_token is None:
        return timeline
    timeline.public_token = None
    record(timeline, actor, Action.LINK_OFF, reason=reason, note="Turned the public link off")
    timeline.save()
    return timeline


@one_change
def timeline_set_listed(*, timeline: Timeline, actor: User | None, listed: bool, reason: str = "") -> Timeline:
    """List the timeline publicly at its readable address, or stop listing it."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    timeline = _locked(timeline)
    if timeline.listed == listed:
        return timeline
    timeline.listed = listed
    if listed:
        record(timeline, actor, Action.LISTED, reason=reason, note="Listed publicly")
    else:
        record(timeline, actor, Action.UNLISTED, reason=reason, note="No longer listed publicly")
    timeline.save()
    return timeline


@one_change
def snapshot_create(
    *, timeline: Timeline, actor: User | None, as_of: datetime.datetime | None = None, reason: str = ""
) -> Snapshot:
    """Share a frozen link to the timeline's published entries as they stood at `as_of` (by default now)."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    now = timezone.now()
    as_of = as_of or now
    if as_of > now:
        raise ValidationError({"as_of": "Choose a moment that has passed: a snapshot shows what was."}, code="future")
    if as_of < timeline.created:
        raise ValidationError(
            {"as_of": f"The timeline did not exist yet; it was created on {timeline.created:%d %B %Y at %H:%M} UTC."},
            code="before_created",
        )
    if not selectors.published_entries_as_of(timeline, as_of):
        raise ValidationError({"as_of": "Nothing was published on this timeline at that moment."}, code="empty")
    snapshot = Snapshot(timeline=timeline, token=new_token(), as_of=as_of, created_by=actor)
    note = f"Shared a snapshot as of {as_of:%d %B %Y %H:%M} UTC"
    record(snapshot, actor, Action.SNAPSHOT_SHARED, reason=reason, note=note)
    snapshot.save()
    return snapshot


@one_change
def snapshot_revoke(*, snapshot: Snapshot, actor: User | None, reason: str = "") -> None:
    """Withdraw a snapshot's link (it answers 410 Gone from now on); its history keeps it."""
    require_role(actor, snapshot.timeline, Role.OWNER, archived_ok=True)
    record(snapshot, actor, Action.SNAPSHOT_WITHDRAWN, reason=reason, note="Withdrew a snapshot")
    snapshot.delete()
