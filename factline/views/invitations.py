"""Inviting people by email, withdrawing an invitation, and accepting one from its link or the dashboard."""

from __future__ import annotations

import smtplib

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from factline import selectors, services
from factline.account_forms import InviteForm, SignupForm
from factline.forms import MemberForm
from factline.http import AuthenticatedRequest
from factline.models import Invitation
from factline.models.timelines import Role
from factline.presentation.members import members_page

BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_POST
@login_required
def invitation_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data

        def link(token: str) -> str:
            return request.build_absolute_uri(reverse("invitation-accept", args=[token]))

        try:
            services.create_once(
                actor=request.user,
                token=data["once"],
                kind="invitation-create",
                model=Invitation,
                create=lambda: services.invitation_create(
                    timeline=timeline, actor=request.user, email=data["email"], role=data["role"], link=link
                ),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except (smtplib.SMTPException, OSError):
            form.add_error("email", "The email could not be sent just now; nothing was saved. Try again later.")
        else:
            messages.success(request, f"Invitation sent to {data['email']}. Its link works for 7 days.")
            return redirect("member-list", slug=slug)
    context = members_page(timeline, form=MemberForm(), invite_form=form)
    return render(request, "timelines/member_list.html", context, status=422)


@require_POST
@login_required
def invitation_revoke(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    invitation = get_object_or_404(Invitation, pk=pk, timeline=timeline)
    services.invitation_revoke(invitation=invitation, actor=request.user)
    messages.success(request, f"Withdrew the invitation to {invitation.email}; its link no longer works.")
    return redirect("member-list", slug=slug)


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: join as you are logged in, or create an account and join."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationRefused as refused:
        return _refused(request, refused)
    user = request.user
    form = None
    if not user.is_authenticated:
        form = SignupForm(request.POST or None, invited_email=invitation.email)
    if request.method == "POST":
        try:
            if user.is_authenticated:
                membership = services.invitation_accept(token=token, actor=user)
            elif form is not None and form.is_valid():
                with transaction.atomic():
                    user = services.account_create(**form.account)
                    membership = services.invitation_accept(token=token, actor=user)
                login(request, user, backend=BACKEND)
            else:
                membership = None
        except services.InvitationRefused as refused:
            return _refused(request, refused)
        except ValidationError as error:
            if form is None:
                raise
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            membership = None
        if membership is not None:
            role = membership.get_role_display().lower()
            messages.success(request, f"Welcome to “{membership.timeline.title}”: you are {role}.")
            return redirect(membership.timeline)
    context = {"invitation": invitation, "form": form, "login_next": request.get_full_path()}
    return render(request, "accounts/invitation.html", context, status=422 if form is not None and form.errors else 200)


@require_POST
@login_required
def invitation_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Accept from the dashboard an invitation to one's own (proven) address."""
    invitation = get_object_or_404(Invitation, pk=pk, email__iexact=request.user.email or "-")
    try:
        membership = services.invitation_join(invitation=invitation, actor=request.user)
    except services.InvitationRefused as refused:
        return _refused(request, refused)
    role = membership.get_role_display().lower()
    messages.success(request, f"Welcome to “{membership.timeline.title}”: you are {role}.")
    return redirect(membership.timeline)


def _refused(request: HttpRequest, refused: services.InvitationRefused) -> HttpResponse:
    status = 410 if refused.known else 404
    return render(request, "accounts/invitation_refused.html", {"message": refused.message}, status=status)
