"""Creating timelines and managing who belongs to them."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from factline.models import Membership, Timeline, TimelineAddress
from factline.models.timelines import RESTORE_DAYS, Role
from factline.services.base import Action, PermissionDenied, User, one_change, record, require_role

# Each try waits for the concurrent creation that took the address it chose, so few are ever needed.
SLUG_TRIES = 50


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "timeline"
    slug, n = base, 1
    while _taken(slug):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _taken(slug: str, timeline: Timeline | None = None) -> bool:
    """Whether another timeline has `slug`, now (deleted ones too) or as an old address that redirects."""
    others = Timeline.everything.exclude(pk=timeline.pk) if timeline else Timeline.everything.all()
    old = TimelineAddress.objects.exclude(timeline=timeline) if timeline else TimelineAddress.objects.all()
    return others.filter(slug=slug).exists() or old.filter(slug=slug).exists()


@one_change
def timeline_create(
    *, actor: User | None, title: str, description: str = "", slug: str = "", owner: User | None = None
) -> Timeline:
    """Create a timeline whose owner is `owner` (by default the actor)."""
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied("Sign in to create a timeline.")
    if slug and _taken(slug):
        raise ValidationError({"slug": "A timeline already has this address."}, code="unique")
    timeline = Timeline(title=title.strip(), description=description.strip(), slug=slug or _unique_slug(title))
    # A slug of our choosing is checked by saving it: another creation may take it in between.
    timeline.full_clean(exclude=None if slug else ["slug"])
    _save_with_free_slug(timeline, actor, retry=not slug)
    owner = owner or actor
    if owner is not None:
        membership = Membership(timeline=timeline, user=owner, role=Role.OWNER)
        record(membership, actor, Action.MEMBER_SET, note="Created the timeline")
        membership.save()
    return timeline


def _save_with_free_slug(timeline: Timeline, actor: User | None, *, retry: bool) -> None:
    """Save a new timeline; when another took its address meanwhile, take the next free one."""
    for _ in range(SLUG_TRIES):
        record(timeline, actor, Action.CREATED, note="Created")
        try:
            # A savepoint: on PostgreSQL a failed statement spoils the whole transaction otherwise.
            with transaction.atomic():
                timeline.save()
            return
        except IntegrityError:
            taken = Timeline.everything.filter(slug=timeline.slug).exists()
            if not (retry and taken):
                if taken:
                    raise ValidationError({"slug": "A timeline already has this address."}, code="unique") from None
                raise
            timeline.pk = None
            timeline.slug = _unique_slug(timeline.title)
    raise ValidationError({"title": "Too many timelines are being made with this title right now; try again."})


@one_change
def timeline_update(*, timeline: Timeline, actor: User | None, reason: str = "", **changes: str) -> Timeline:
    """Rename, describe or move a timeline; its old address is kept and redirects to the new one."""
    require_role(actor, timeline, Role.OWNER)
    timeline = Timeline.objects.select_for_update().get(pk=timeline.pk)
    old_slug = timeline.slug
    for field in ("title", "description", "slug"):
        if field in changes:
            setattr(timeline, field, changes[field].strip())
    timeline.full_clean()
    moved = timeline.slug != old_slug
    if moved and _taken(timeline.slug, timeline):
        raise ValidationError({"slug": "Another timeline has, or had, this address; choose another."}, code="unique")
    action, note = (Action.MOVED, f"Address {old_slug} → {timeline.slug}") if moved else (Action.EDITED, "")
    record(timeline, actor, action, reason=reason, note=note)
    try:
        with transaction.atomic():
            timeline.save()
            if moved:
                # Taking back one of its own old addresses: that one stops redirecting, the one left starts.
                TimelineAddress.objects.filter(timeline=timeline, slug=timeline.slug).delete()
                TimelineAddress.objects.create(timeline=timeline, slug=old_slug)
    except IntegrityError:
        raise ValidationError({"slug": "Another timeline took this address just now; choose another."}) from None
    return timeline


@one_change
def timeline_transfer(*, timeline: Timeline, actor: User | None, to: Membership, reason: str = "") -> Membership:
    """Make member `to` the owner; the actor (an owner) becomes an editor."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    to = Membership.objects.select_for_update().select_related("user").get(pk=to.pk)
    if to.timeline_id != timeline.pk:
        raise ValidationError({"member": "Choose a member of this timeline."})
    if actor is not None and to.user_id == actor.pk:
        raise ValidationError({"member": "You already own this timeline; choose someone else."})
    name = to.user.get_username()
    to.role = Role.OWNER
    record(to, actor, Action.TRANSFERRED, reason=reason, note=f"{name} is now owner")
    to.save()
    if actor is not None:
        mine = Membership.objects.select_for_update().get(timeline=timeline, user=actor)
        mine.role = Role.EDITOR
        record(mine, actor, Action.TRANSFERRED, reason=reason, note=f"Handed ownership to {name}")
        mine.save()
    return to


@one_change
def timeline_archive(*, timeline: Timeline, actor: User | None, archived: bool = True, reason: str = "") -> Timeline:
    """Archive a timeline (read-only for everyone, its links still open) or unarchive it."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    timeline = Timeline.objects.select_for_update().get(pk=timeline.pk)
    if timeline.is_archived == archived:
        return timeline  # a second click, or a second tab: already so
    timeline.archived_at = timezone.now() if archived else None
    action, note = (Action.ARCHIVED, "Archived") if archived else (Action.UNARCHIVED, "Unarchived")
    record(timeline, actor, action, reason=reason, note=note)
    timeline.save()
    return timeline


@one_change
def timeline_delete(*, timeline: Timeline, actor: User | None, typed_name: str, reason: str = "") -> Timeline:
    """Delete a timeline once its name is typed: hidden everywhere, restorable by its owners for RESTORE_DAYS."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    timeline = Timeline.objects.select_for_update().get(pk=timeline.pk)
    if typed_name.strip() != timeline.title:
        raise ValidationError({"typed_name": f"Type the timeline's name, “{timeline.title}”, exactly to delete it."})
    timeline.deleted_at = timezone.now()
    record(timeline, actor, Action.DELETED, reason=reason, note="Deleted (restorable for 30 days)")
    timeline.save()
    return timeline


@one_change
def timeline_restore(*, timeline: Timeline, actor: User | None, reason: str = "") -> Timeline:
    """Bring back a timeline deleted less than RESTORE_DAYS ago; only its owners may."""
    timeline = Timeline.everything.select_for_update().get(pk=timeline.pk)
    if actor is not None and not Membership.objects.filter(timeline=timeline, user=actor, role=Role.OWNER).exists():
        raise PermissionDenied("Only an owner of this timeline may restore it.")
    if timeline.deleted_at is None:
        return timeline
    if timeline.deleted_at < timezone.now() - datetime.timedelta(days=RESTORE_DAYS):
        raise ValidationError(f"This timeline was deleted more than {RESTORE_DAYS} days ago and cannot be restored.")
    timeline.deleted_at = None
    record(timeline, actor, Action.RESTORED, reason=reason, note="Restored")
    timeline.save()
    return timeline


def timeline_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove for good the timelines deleted more than RESTORE_DAYS ago, with all they hold; how many went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=RESTORE_DAYS)
    purged = 0
    for pk in Timeline.everything.filter(deleted_at__lt=cutoff).values_list("pk", flat=True):
        purge_one(pk)
        purged += 1
    return purged


@one_change
def purge_one(pk: int) -> None:
    timeline = Timeline.everything.select_for_update().get(pk=pk)
    record(timeline, None, Action.DELETED, note=f"Purged {RESTORE_DAYS} days after it was deleted")
    timeline.delete()


@one_change
def membership_set(
    *, timeline: Timeline, actor: User | None, username: str, role: str, only_new: bool = False
) -> Membership:
    """Add a person by username with `role`, or change the role they have (not with `only_new`)."""
    require_role(actor, timeline, Role.OWNER, archived_ok=True)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, editor or viewer."})
    try:
        user = get_user_model().objects.get(username=username.strip())
    except get_user_model().DoesNotExist:
        raise ValidationError({"username": f"There is no one with the username “{username.strip()}”."}) from None
    membership = Membership.objects.select_for_update().filter(timeline=timeline, user=user).first()
    if membership is None:
        membership = Membership(timeline=timeline, user=user)
    elif only_new:
        # "Add" quietly changing a role would demote (or promote) someone without anyone meaning to.
        raise ValidationError(
            {
                "username": f"{user.get_username()} is already a member, as {membership.get_role_display().lower()}; "
                "change their role in the list above."
            }
        )
    elif membership.role == Role.OWNER and role != Role.OWNER:
        _keep_an_owner(timeline, membership)
    membership.role = role
    record(membership, actor, Action.MEMBER_SET, note=f"{user.get_username()} is now {Role(role).label.lower()}")
    try:
        with transaction.atomic():
            membership.save()
    except IntegrityError:
        # Added by someone else at this very moment (a double click, two owners): answer as if
        # they had been first, once their membership can be read.
        if membership.pk is not None or not Membership.objects.filter(timeline=timeline, user=user).exists():
            raise
        return membership_set(timeline=timeline, actor=actor, username=username, role=role, only_new=only_new)
    return membership


def membership_add(*, timeline: Timeline, actor: User | None, username: str, role: str) -> Membership:
    """Add a person by username with `role`; someone already a member keeps the role they have."""
    return membership_set(timeline=timeline, actor=actor, username=username, role=role, only_new=True)


@one_change
def membership_remove(*, membership: Membership, actor: User | None) -> None:
    require_role(actor, membership.timeline, Role.OWNER, archived_ok=True)
    if membership.role == Role.OWNER:
        _keep_an_owner(membership.timeline, membership)
    record(membership, actor, Action.MEMBER_REMOVED, note=f"Removed {membership.user.get_username()}")
    membership.delete()


def _keep_an_owner(timeline: Timeline, leaving: Membership) -> None:
    owners = Membership.objects.filter(timeline=timeline, role=Role.OWNER).exclude(pk=leaving.pk)
    if not owners.exists():
        raise ValidationError({"role": "A timeline needs at least one owner."})
