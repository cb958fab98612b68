"""What every service shares: who may do what, and how a save is recorded in history."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from factline import limits
from factline.models import Membership, Timeline
from factline.models.changes import BY_TYPE, Action
from factline.models.timelines import ARCHIVED_MESSAGE, Role
from factline.services import stamps

if TYPE_CHECKING:
    from factline.models import Entry

__all__ = [
    "Action",
    "Archived",
    "EditConflict",
    "PermissionDenied",
    "User",
    "mark_change",
    "one_change",
    "record",
    "recorded",
    "require_role",
]

P = ParamSpec("P")
R = TypeVar("R")
_CHANGE: ContextVar[uuid.UUID | None] = ContextVar("factline_change", default=None)


class EditConflict(Exception):
    """Someone saved the entry after this edit was opened; nothing was saved."""

    def __init__(self, current: Entry, expected_version: int) -> None:
        super().__init__(f"Entry {current.pk} is at version {current.version}, not {expected_version}.")
        self.current = current
        self.expected_version = expected_version


class Archived(PermissionDenied):
    """The timeline is archived: nothing in it changes until an owner unarchives it."""

    def __init__(self) -> None:
        super().__init__(ARCHIVED_MESSAGE)


def role_of(actor: User | None, timeline: Timeline) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Membership.objects.filter(timeline=timeline, user=actor).values_list("role", flat=True).first()


def require_role(actor: User | None, timeline: Timeline, role: str, *, archived_ok: bool = False) -> None:
    """Refuse unless `actor` holds at least `role` on `timeline`; `None` is the system itself.

    A deleted timeline takes no writes, and an archived one only those marked `archived_ok` (sharing
    it, its members, unarchiving and deleting it). Both are read in the same query as the role, from
    the database: the instance a view passed may be older than an archive made meanwhile.
    """
    if actor is None:
        return
    held = None
    if actor.is_authenticated:
        held = (
            Membership.objects.filter(timeline=timeline, user=actor, timeline__deleted_at__isnull=True)
            .values_list("role", "timeline__archived_at")
            .first()
        )
    if held is None or not Role(held[0]).covers(role):
        raise PermissionDenied(f"You need to be {Role(role).label.lower()} of this timeline to do that.")
    if held[1] is not None and not archived_ok:
        raise Archived()


def record(instance: models.Model, actor: User | None, action: Action, *, reason: str = "", note: str = "") -> None:
    """Say who makes the next save of `instance`, what kind of change it is and why, for its history record.

    `reason` is only ever what a person wrote (an edit summary); `note` is what the software says of the
    change ("Published", which revision a revert went back to). Each is stored in a field of its own.
    """
    reason = reason.strip()
    if len(reason) > limits.REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {limits.REASON_MAX} characters."}, code="max_length")
    # simple-history reads its own two from the instance; mark_change reads the other two.
    if actor is not None:
        instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason or None  # type: ignore[attr-defined]
    instance._history_action = action  # type: ignore[attr-defined]
    instance._history_note = note  # type: ignore[attr-defined]


def recorded(action: Action, note: str) -> dict[str, object]:
    """The fields `record` would give a row, for rows written in bulk (bulk_create_with_history)."""
    return {"history_change": _CHANGE.get(), "history_action": action, "history_note": note}


def one_change(service: Callable[P, R]) -> Callable[P, R]:
    """Run a service in one transaction, and mark every history row it writes as one change.

    History reads group rows by this mark, so two saves moments apart stay two changes and an
    entry saved with its citations stays one. A service called by another joins its change.
    """

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = _CHANGE.get() is None
        token = _CHANGE.set(uuid.uuid4()) if outermost else None
        pending = stamps.begin() if outermost else None
        try:
            with transaction.atomic():
                result = service(*args, **kwargs)
                if pending is not None:
                    # Last, in the same transaction: the stamps and what they stand for commit together.
                    stamps.end(pending, flush=True)
                    pending = None
                return result
        finally:
            if pending is not None:
                stamps.end(pending, flush=False)
            if token is not None:
                _CHANGE.reset(token)

    return run


def mark_change(sender: type, instance: models.Model, history_instance: models.Model, **kwargs: object) -> None:
    """simple-history's pre_create_historical_record: stamp the row with the running change and what it was."""
    row = history_instance
    row.history_change = _CHANGE.get()  # type: ignore[attr-defined]
    # Taken off the instance, so that a later save that no service recorded is not described as this one.
    row.history_action = instance.__dict__.pop("_history_action", None) or BY_TYPE[row.history_type]  # type: ignore[attr-defined]
    row.history_note = instance.__dict__.pop("_history_note", "")  # type: ignore[attr-defined]
    stamps.note(instance, row)
