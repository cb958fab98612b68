"""Invitations to join a timeline, sent by email: only a hash of the link's token is kept."""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone

from factline.models.timelines import Role, Timeline

# A week is long enough to find the email after a holiday weekend, short enough that a forwarded link dies.
LIFETIME = datetime.timedelta(days=7)


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256, so a copy of the database cannot be used to join."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        """Neither used nor revoked, and not yet expired."""
        return self.filter(accepted__isnull=True, revoked__isnull=True, expires__gt=timezone.now())


class Invitation(models.Model):
    """An owner's invitation of an email address to a timeline with a role; its link works once."""

    timeline = models.ForeignKey(
        Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField("email address", max_length=254)
    role = models.CharField("role", max_length=16, choices=Role.choices, default=Role.EDITOR)
    token_hash = models.CharField("token hash", max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="invited by", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField("sent", default=timezone.now, editable=False)
    expires = models.DateTimeField("expires")
    accepted = models.DateTimeField("accepted", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="accepted by", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked = models.DateTimeField("revoked", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_valid")]
        indexes = [models.Index(fields=["timeline", "email"], name="invitation_timeline_email")]

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()}) to {self.timeline_id}"

    @property
    def refusal(self) -> str:
        """Why the link no longer works, or "" while it does."""
        if self.revoked is not None:
            return "This invitation was withdrawn by an owner of the timeline."
        if self.accepted is not None:
            return "This invitation has already been used. Each invitation link works once."
        if self.expires <= timezone.now():
            return "This invitation has expired: links work for 7 days. Ask an owner of the timeline for a new one."
        return ""
