"""Creating timelines and managing who belongs to them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from factline.models import Membership, Timeline
from factline.models.timelines import Role
from factline.services.base import Action, PermissionDenied, User, one_change, record, require_role

# Each try waits for the concurrent creation that took the address it chose, so few are ever needed.
SLUG_TRIES = 50


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "timeline"
    slug, n = base, 1
    while Timeline.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@one_change
def timeline_create(
    *, actor: User | None, title: str, description: str = "", slug: str = "", owner: User | None = None
) -> Timeline:
    """Create a timeline whose owner is `owner` (by default the actor)."""
    if actor is not None and not actor.is_authenticated:
        raise PermissionDenied("Sign in to create a timeline.")
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
            taken = Timeline.objects.filter(slug=timeline.slug).exists()
            if not (retry and taken):
                if taken:
                    raise ValidationError({"slug": "A timeline already has this address."}, code="unique") from None
                raise
            timeline.pk = None
            timeline.slug = _unique_slug(timeline.title)
    raise ValidationError({"title": "Too many timelines are being made with this title right now; try again."})


@one_change
def timeline_update(*, timeline: Timeline, actor: User | None, reason: str = "", **changes: str) -> Timeline:
    require_role(actor, timeline, Role.OWNER)
    timeline = Timeline.objects.select_for_update().get(pk=timeline.pk)
    for field in ("title", "description"):
        if field in changes:
            setattr(timeline, field, changes[field].strip())
    timeline.full_clean()
    record(timeline, actor, Action.EDITED, reason=reason)
    timeline.save()
    return timeline


@one_change
def membership_set(
    *, timeline: Timeline, actor: User | None, username: str, role: str, only_new: bool = False
) -> Membership:
    """Add a person by username with `role`, or change the role they have (not with `only_new`)."""
    require_role(actor, timeline, Role.OWNER)
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
    require_role(actor, membership.timeline, Role.OWNER)
    if membership.role == Role.OWNER:
        _keep_an_owner(membership.timeline, membership)
    record(membership, actor, Action.MEMBER_REMOVED, note=f"Removed {membership.user.get_username()}")
    membership.delete()


def _keep_an_owner(timeline: Timeline, leaving: Membership) -> None:
    owners = Membership.objects.filter(timeline=timeline, role=Role.OWNER).exclude(pk=leaving.pk)
    if not owners.exists():
        raise ValidationError({"role": "A timeline needs at least one owner."})
