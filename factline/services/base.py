"""What every service shares: who may do what, and how a save is recorded in history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.base_user import AbstractBaseUser as User
from django.core.exceptions import PermissionDenied
from django.db import models

from factline.models import Membership, Timeline
from factline.models.timelines import Role

if TYPE_CHECKING:
    from factline.models import Entry

__all__ = ["EditConflict", "PermissionDenied", "User", "record", "require_role"]

_RANK = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}


class EditConflict(Exception):
    """Someone saved the entry after this edit was opened; nothing was saved."""

    def __init__(self, current: Entry, expected_version: int) -> None:
        super().__init__(f"Entry {current.pk} is at version {current.version}, not {expected_version}.")
        self.current = current
        self.expected_version = expected_version


def role_of(actor: User | None, timeline: Timeline) -> str | None:
    if actor is None or not actor.is_authenticated:
        return None
    return Membership.objects.filter(timeline=timeline, user=actor).values_list("role", flat=True).first()


def require_role(actor: User | None, timeline: Timeline, role: str) -> None:
    """Refuse unless `actor` holds at least `role` on `timeline`; `None` is the system itself."""
    if actor is None:
        return
    held = role_of(actor, timeline)
    if held is None or _RANK[held] < _RANK[role]:
        raise PermissionDenied(f"You need to be {Role(role).label.lower()} of this timeline to do that.")


def record(instance: models.Model, actor: User | None, reason: str = "") -> None:
    """Say who makes the next save of `instance` and why, for its history record."""
    if actor is not None:
        instance._history_user = actor  # type: ignore[attr-defined]
    instance._change_reason = reason.strip() or None  # type: ignore[attr-defined]
