"""People joining: invitations by email, accounts, and the profile a person keeps."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from factline.models import Invitation, Membership, Timeline
from factline.models.invitations import LIFETIME, token_hash
from factline.models.timelines import Role
from factline.people import display_name
from factline.services.base import Action, PermissionDenied, User, one_change, record, require_role

# 32 random bytes: 256 bits, twice what the issue asks; only their hash is stored.
TOKEN_BYTES = 32


class InvitationRefused(Exception):
    """The link's token is unknown, used, revoked or expired: nothing was changed."""

    def __init__(self, message: str, *, known: bool) -> None:
        super().__init__(message)
        self.message = message
        self.known = known  # a token we sent once (410) rather than one we never made (404)


@one_change
def invitation_create(
    *, timeline: Timeline, actor: User, email: str, role: str, link: Callable[[str], str]
) -> Invitation:
    """Invite `email` to `timeline` as `role` and send the link (`link(token)` gives its address).

    A pending invitation of the same address is withdrawn, so only the newest link works. The email is
    sent before the transaction ends: if the mail server refuses it, nothing is saved.
    """
    require_role(actor, timeline, Role.OWNER)
    if role not in Role.values:
        raise ValidationError({"role": "Choose owner, editor or viewer."})
    email = get_user_model().objects.normalize_email(email.strip())
    if Membership.objects.filter(timeline=timeline, user__email__iexact=email).exists():
        raise ValidationError({"email": f"Someone with the address {email} is already a member of this timeline."})
    now = timezone.now()
    Invitation.objects.pending().filter(timeline=timeline, email__iexact=email).update(revoked=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = Invitation.objects.create(
        timeline=timeline,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor,
        created=now,
        expires=now + LIFETIME,
    )
    context = {"invitation": invitation, "inviter": display_name(actor), "url": link(token), "timeline": timeline}
    send_mail(
        subject=f"{display_name(actor)} invites you to “{timeline.title}” on Factline",
        message=render_to_string("accounts/invitation_email.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return invitation


@one_change
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    require_role(actor, invitation.timeline, Role.OWNER)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted is None and invitation.revoked is None:
        invitation.revoked = timezone.now()
        invitation.save(update_fields=["revoked"])
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link's token names, if its link still works; else InvitationRefused."""
    # A token we made is 43 URL-safe characters; anything else is not worth hashing.
    found = None
    if 20 <= len(token) <= 100:
        found = Invitation.objects.select_related("timeline", "invited_by").filter(token_hash=token_hash(token)).first()
    if found is None:
        raise InvitationRefused(
            "This invitation link is not valid. Check that you copied the whole address from the email.", known=False
        )
    if found.refusal:
        raise InvitationRefused(found.refusal, known=True)
    return found


@one_change
def invitation_accept(*, token: str, actor: User) -> Membership:
    """Join the invitation's timeline with its role; the link then works no more."""
    if not actor.is_authenticated:
        raise PermissionDenied("Log in or create an account to accept an invitation.")
    invitation = invitation_for_token(token)
    # Locked (PostgreSQL) or queued (SQLite's IMMEDIATE transactions): two clicks accept once.
    # (Without select_related: PostgreSQL locks no row across the nullable join to the inviter.)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.refusal:
        raise InvitationRefused(invitation.refusal, known=True)
    return _join(invitation, actor)


@one_change
def invitation_join(*, invitation: Invitation, actor: User) -> Membership:
    """Accept, from the dashboard, an invitation sent to the address `actor` has proved is theirs."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not email_proven(actor) or invitation.email.lower() != actor.email.lower():
        raise PermissionDenied("Open the link in the email to accept this invitation.")
    if invitation.refusal:
        raise InvitationRefused(invitation.refusal, known=True)
    return _join(invitation, actor)


def _join(invitation: Invitation, actor: User) -> Membership:
    invitation.accepted, invitation.accepted_by = timezone.now(), actor
    invitation.save(update_fields=["accepted", "accepted_by"])
    membership = Membership.objects.select_for_update().filter(timeline=invitation.timeline, user=actor).first()
    if membership is not None:
        # Already a member: an invitation never lowers a role, and an owner's is theirs to change.
        if Role(membership.role).covers(invitation.role):
            return membership
    else:
        membership = Membership(timeline=invitation.timeline, user=actor)
    membership.role = invitation.role
    inviter = display_name(invitation.invited_by, "an owner")
    note = f"{actor.get_username()} is now {Role(invitation.role).label.lower()} (invited by {inviter})"
    record(membership, actor, Action.MEMBER_SET, note=note)
    membership.save()
    return membership


def email_proven(user: User) -> bool:
    """Whether `user` has shown they read their current address: they accepted an invitation sent to it.

    An address typed on the profile page is not proof; without this, anyone could type a colleague's
    address and see (and take) the invitations sent to it.
    """
    if not user.email:
        return False
    return Invitation.objects.filter(accepted_by=user, email__iexact=user.email).exists()


@one_change
def account_create(*, username: str, email: str, password: str, display_name: str = "") -> User:
    """A new account (the form has checked the password against the validators)."""
    users = get_user_model()
    if users.objects.filter(username__iexact=username.strip()).exists():
        raise ValidationError({"username": "This username is taken; choose another."})
    try:
        with transaction.atomic():
            user = users.objects.create_user(
                username=username.strip(), email=email.strip(), password=password, first_name=display_name.strip()
            )
    except IntegrityError:
        raise ValidationError({"username": "This username is taken; choose another."}) from None
    return user


@one_change
def profile_update(*, actor: User, display_name: str, email: str) -> User:
    user = get_user_model().objects.select_for_update().get(pk=actor.pk)
    user.first_name = display_name.strip()
    user.email = get_user_model().objects.normalize_email(email.strip())
    user.full_clean(exclude=["password", "username"])
    user.save(update_fields=["first_name", "email"])
    return user
