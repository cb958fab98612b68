"""Going back: revert an entry to an earlier revision, restore a deleted entry. Both only add history."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from factline.history import ENTRY, Change, EntryHistory, State
from factline.models import Citation, Entry, Timeline
from factline.models.timelines import Role, Stance, Status
from factline.services.base import Action, User, one_change, record, require_role
from factline.services.entries import ENTRY_FIELDS, claim_version

CITATION_FIELDS = ("passage_id", "stance", "quote", "start", "end", "prefix", "suffix")


def _named(change: Change) -> str:
    """How a reason names a revision: its number, when and by whom."""
    when = timezone.localtime(change.at, datetime.UTC)
    person = get_user_model().objects.filter(pk=change.user_id).first() if change.user_id else None
    who = person.get_username() if person else "system"
    return f"revision {change.number} of {when.day} {when:%b %Y %H:%M:%S} UTC by {who}"


@one_change
def entry_revert(
    *,
    entry: Entry,
    actor: User | None,
    history_id: int | None = None,
    citation_history_id: int | None = None,
    expected_version: int | None = None,
    reason: str = "",
) -> Entry:
    """Return `entry` to an earlier revision, with its citations as they were then, as a new revision."""
    # The revision is the change holding the entry's history row `history_id`, or for a change that
    # touched only citations, the citation history row `citation_history_id`. Like any save it raises
    # the entry's version, so forms opened before it get a conflict.
    require_role(actor, entry.timeline, Role.EDITOR)
    if (history_id is None) == (citation_history_id is None):
        raise ValueError("Give exactly one of history_id and citation_history_id.")
    claim_version(entry, expected_version)
    history = EntryHistory(entry.pk, entry.timeline_id)
    change = history.find(f"e{history_id}" if history_id is not None else f"c{citation_history_id}")
    if change is None:
        raise ValidationError("That revision is not in this entry's history.", code="no_revision")
    if change is history.latest:
        raise ValidationError("That is the entry as it stands now.", code="current")
    (target,) = history.states([change])
    if target.entry is None:
        raise ValidationError("At that revision the entry was deleted; choose an earlier one.", code="deleted")
    current = Entry.objects.select_related("timeline").get(pk=entry.pk)
    if _same(current, target):
        # A revision that changes nothing would only bump the version and clutter the history.
        raise ValidationError("The entry already reads as it did then: there is nothing to revert.", code="same")
    republishing = target.entry.status == Status.PUBLISHED and current.status != Status.PUBLISHED
    if republishing and actor is not None and current.timeline.two_person_rule:
        # The two-person rule holds here too: a revert must not publish what no second editor approved.
        raise ValidationError(
            "That revision was published, and on this timeline a second editor publishes: ask for review instead.",
            code="needs_review",
        )
    _apply(current, target, actor, Action.REVERTED, reason=reason, note=f"Reverted to {_named(change)}")
    return current


@one_change
def entry_restore(*, timeline: Timeline, entry_id: int, actor: User | None, reason: str = "") -> Entry:
    """Bring back a deleted entry as it stood before it was deleted, with its citations, under the same id."""
    require_role(actor, timeline, Role.EDITOR)
    # Restores of one timeline queue here, so two cannot recreate the same entry.
    Timeline.objects.select_for_update().filter(pk=timeline.pk).first()
    history = EntryHistory(entry_id, timeline.pk)
    if not history:
        raise ValidationError("This timeline never had that entry.", code="unknown")
    if not history.deleted:
        raise ValidationError("This entry is not deleted.", code="not_deleted")
    deletion = next(change for change in reversed(history.changes) if any(r.kind == ENTRY for r in change.rows))
    before = history.before(deletion)
    (target,) = history.states([before])
    if target.entry is None:
        raise ValidationError("There is nothing to restore before this entry's deletion.", code="nothing")
    version = target.entry.version + 1  # past every version an open form of it could hold
    if Entry.objects.filter(pk=entry_id).exists():
        # Only reachable if something outside the services wrote this id; restore under a new one.
        entry = Entry(timeline=timeline, version=version)
        _apply(entry, target, actor, Action.RESTORED, reason=reason, note="Restored", keep_ids=False)
    else:
        entry = Entry(pk=entry_id, timeline=timeline, version=version)
        _apply(entry, target, actor, Action.RESTORED, reason=reason, note="Restored", keep_ids=True)
    return entry


def _same(entry: Entry, target: State) -> bool:
    """Whether `entry` and its citations are already what `target` says."""
    if any(getattr(entry, name) != getattr(target.entry, name) for name in ENTRY_FIELDS):
        return False
    live = {citation.pk: citation for citation in Citation.objects.filter(entry_id=entry.pk)}
    then = {row.id: row for row in target.citations}
    return live.keys() == then.keys() and all(
        getattr(live[pk], name) == getattr(row, name) for pk, row in then.items() for name in CITATION_FIELDS
    )


def _apply(
    entry: Entry,
    target: State,
    actor: User | None,
    action: Action,
    *,
    reason: str,
    note: str,
    keep_ids: bool = False,
) -> None:
    """Make `entry` and its citations what `target` says: one entry save, one save per citation that differs."""
    # The entry's rules hold at every step: a published entry never loses its last support. So an entry
    # going back to draft is saved before its citations change, one going back to published after them,
    # and supporting citations are written before the others.
    creating = entry._state.adding
    for name in ENTRY_FIELDS:
        setattr(entry, name, getattr(target.entry, name))

    def save_entry() -> None:
        entry.full_clean(exclude=["timeline"])
        record(entry, actor, action, reason=reason, note=note)
        entry.save()

    saved = False
    if creating and not keep_ids:
        # A new id: the entry must exist before its citations can point at it, so it starts as a draft.
        final, entry.status = entry.status, Status.DRAFT
        save_entry()
        entry.status, saved = final, final == Status.DRAFT
    elif not creating and entry.status == Status.DRAFT:
        save_entry()
        saved = True
    live = {} if entry.pk is None else {c.pk: c for c in Citation.objects.filter(entry_id=entry.pk)}
    wanted = sorted(target.citations, key=lambda row: (row.stance != Stance.SUPPORTS, row.id))
    elsewhere = Citation.objects.filter(pk__in=[row.id for row in wanted]).exclude(entry_id=entry.pk)
    taken = set(elsewhere.values_list("pk", flat=True))
    for row in wanted:
        citation = live.get(row.id)
        if citation is None:
            # The same id as before when it is free. While restoring under the same id the entry row is
            # written after its citations (foreign keys are checked at commit), so it is never published
            # without support, and its history reads: citations back, then the entry.
            citation = Citation(pk=None if row.id in taken else row.id, entry=entry)
        elif all(getattr(citation, name) == getattr(row, name) for name in CITATION_FIELDS):
            continue
        for name in CITATION_FIELDS:
            setattr(citation, name, getattr(row, name))
        record(citation, actor, action, reason=reason, note=note)
        citation.save()
    keep = {row.id for row in wanted}
    for pk, citation in live.items():
        if pk not in keep:
            record(citation, actor, action, reason=reason, note=note)
            citation.delete()
    if not saved:
        save_entry()
