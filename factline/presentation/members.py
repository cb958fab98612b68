"""The Members page's context, shared by the views that add people by username and by email."""

from __future__ import annotations

from typing import Any

from django import forms

from factline import selectors
from factline.models import Membership, Timeline
from factline.models.timelines import Role


def members_page(timeline: Timeline, *, form: forms.Form, invite_form: forms.Form) -> dict[str, Any]:
    """Members by username, and, for owners, the pending invitations (others never see addresses)."""
    members = Membership.objects.filter(timeline=timeline).select_related("user").order_by("user__username")
    invitations = list(selectors.pending_invitations(timeline)) if timeline.can_manage else []
    return {
        "timeline": timeline,
        "members": members,
        "form": form,
        "invite_form": invite_form,
        "invitations": invitations,
        "roles": Role.choices,
    }
