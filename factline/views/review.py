"""The review queue of a timeline, marking entries reviewed, and the two-person rule's ask, approve and send back."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factline import review, selectors, services
from factline.forms import VersionForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models.timelines import Role

QUEUE = "review/timeline_review.html"
REVIEW = "review/entry_review.html"


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the button was on (`next`, when it is one of ours)."""
    target = request.POST.get("next", "")
    # Only a path: redirect() reads anything else as the name of a view, and an unknown one was a 500.
    ours = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    if not (ours and target.startswith("/")):
        target = fallback
    return redirect(target)


@require_safe
@login_required
def timeline_review(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    items = review.queue(selectors.review_entries(timeline))
    context = {"timeline": timeline, "items": items, "rules": review.RULES, "is_owner": timeline.can_manage}
    return render(request, QUEUE, context)


@require_POST
@login_required
def review_rule(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    on = request.POST.get("two_person_rule") == "on"
    services.timeline_set_two_person_rule(timeline=timeline, actor=request.user, on=on)
    messages.success(request, "Publishing now needs a second editor." if on else "Editors publish on their own again.")
    return redirect("timeline-review", slug=slug)


@require_POST
@login_required
def entry_mark_reviewed(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = get_object_or_404(timeline.entries, pk=pk)
    services.entry_mark_reviewed(entry=entry, actor=request.user)
    messages.success(request, f"Marked “{entry.headline}” reviewed.")
    return _back(request, f"{timeline.get_absolute_url()}#entry-{entry.pk}")


@require_POST
@login_required
def entry_ask_review(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = get_object_or_404(timeline.entries, pk=pk)
    version = VersionForm.read(request.POST)
    if version is None:
        return bad_request(request, VersionForm.MISSING)
    try:
        services.entry_request_review(entry=entry, actor=request.user, expected_version=version)
    except services.EditConflict:
        messages.error(request, "Not asked: someone changed this entry after you opened the page. Here it is now.")
    except ValidationError as error:
        messages.error(request, f"“{entry.headline}” was not sent for review: {' '.join(error.messages)}")
    else:
        messages.success(request, f"Asked another editor to review “{entry.headline}”.")
    return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")


@require_http_methods(["GET", "POST"])
@login_required
def entry_review(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Approve (publish) or send back, with a note, a draft another editor asked to have reviewed."""
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = get_object_or_404(selectors.entries_of(timeline), pk=pk)
    error = ""
    approving = request.method == "POST" and request.POST.get("decision") == "approve"
    version = VersionForm.read(request.POST) if approving else None
    if approving and version is None:
        return bad_request(request, VersionForm.MISSING)
    if request.method == "POST":
        try:
            if approving:
                services.entry_approve(entry=entry, actor=request.user, expected_version=version)
                messages.success(request, f"Approved and published “{entry.headline}”.")
            else:
                services.entry_send_back(entry=entry, actor=request.user, note=request.POST.get("note", ""))
                messages.success(request, f"Sent “{entry.headline}” back with your note.")
            return redirect("timeline-review", slug=slug)
        except services.EditConflict:
            error = "Someone changed this entry after you opened the page: read it again as it is now."
        except (ValidationError, services.PermissionDenied) as refused:
            error = " ".join(getattr(refused, "messages", [str(refused)]))
        entry = get_object_or_404(selectors.entries_of(timeline), pk=pk)
    context = {"timeline": timeline, "entry": entry, "error": error, "note": request.POST.get("note", "")}
    context["mine"] = entry.review_requested_by_id == request.user.pk
    return render(request, REVIEW, context, status=422 if error else 200)
