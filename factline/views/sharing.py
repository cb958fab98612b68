"""The owner's page that shares a timeline: its public link, its public listing and its snapshots."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from factline import selectors, services
from factline.forms import SnapshotForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Snapshot, Timeline
from factline.models.timelines import Role, Status
from factline.presentation.downloads import FORMATS
from factline.presentation.embed import share_snippet


def _share_page(
    request: AuthenticatedRequest, timeline: Timeline, form: SnapshotForm, status: int = 200
) -> HttpResponse:
    link = reverse("public-timeline", args=[timeline.public_token]) if timeline.public_token else None
    context = {
        "timeline": timeline,
        "form": form,
        "link": request.build_absolute_uri(link) if link else None,
        "listed_url": request.build_absolute_uri(reverse("listed-timeline", args=[timeline.slug])),
        "snapshots": [
            (snapshot, request.build_absolute_uri(snapshot.get_absolute_url()))
            for snapshot in Snapshot.objects.filter(timeline=timeline).select_related("created_by")
        ],
        "formats": [(fmt, label) for fmt, (label, _type, _end) in FORMATS.items()],
        "published": timeline.entries.filter(status=Status.PUBLISHED).count(),
        "embed": share_snippet(request, timeline),
    }
    return render(request, "sharing/timeline_share.html", context, status=status)


@require_GET
@login_required
def timeline_share(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    return _share_page(request, selectors.timeline_for(request.user, slug, at_least=Role.OWNER), SnapshotForm())


def _still_readable(timeline: Timeline) -> str:
    """What stays public when the link goes off: the snapshots and the listing have links of their own."""
    sentences = []
    count = timeline.snapshots.count()
    if count == 1:
        sentences.append("The snapshot link stays readable by anyone who has it until you withdraw it.")
    elif count:
        sentences.append(f"The {count} snapshot links stay readable by anyone who has them until you withdraw them.")
    if timeline.listed:
        sentences.append("The timeline stays listed publicly, where anyone can read it, until you stop listing it.")
    return " ".join(sentences)


def _confirm(
    request: AuthenticatedRequest,
    timeline: Timeline,
    question: str,
    consequence: str,
    button: str,
    note: str = "",
    **fields,
) -> HttpResponse:
    """Ask once more before what cannot be undone: a link people were given stops working for good."""
    context = {"timeline": timeline, "question": question, "consequence": consequence, "button": button, "note": note}
    context |= {"action": request.path, "fields": fields}
    return render(request, "sharing/confirm.html", context)


@require_POST
@login_required
def share_link(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Turn the public link on, make a new one, or turn it off (those two once confirmed)."""
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    action = request.POST.get("action")
    if action not in ("on", "off", "renew"):
        return bad_request(request, "The form did not say which action to take (on, off or renew).")
    if action in ("off", "renew") and timeline.public_token and not request.POST.get("confirmed"):
        off = action == "off"
        return _confirm(
            request,
            timeline,
            "Turn the public link off?" if off else "Make a new public link?",
            "Anyone who opens the current link, wherever it was sent or posted, will be told it was turned off. "
            + (
                "This cannot be undone: turning the link on again makes a different one."
                if off
                else "This cannot be undone; only the new link will work."
            ),
            "Turn the link off" if off else "Make a new link",
            note=_still_readable(timeline) if off else "",
            action=action,
        )
    if action == "off":
        services.timeline_revoke(timeline=timeline, actor=request.user)
        messages.success(request, "The public link is off. Anyone who opens it now is told it was turned off.")
    else:
        renewing = action == "renew" and timeline.public_token is not None
        services.timeline_share(timeline=timeline, actor=request.user, renew=action == "renew")
        messages.success(
            request,
            "Made a new public link; the old one no longer works."
            if renewing
            else "The public link is on. Anyone with it can read the published entries.",
        )
    return redirect("timeline-share", slug=slug)


@require_POST
@login_required
def share_listed(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    # A crafted or truncated form is refused rather than read as "stop listing".
    if request.POST.get("listed") not in ("0", "1"):
        return bad_request(request, "The form did not say whether to list the timeline (listed: 0 or 1).")
    listed = request.POST.get("listed") == "1"
    services.timeline_set_listed(timeline=timeline, actor=request.user, listed=listed)
    messages.success(request, "Listed publicly." if listed else "No longer listed publicly.")
    return redirect("timeline-share", slug=slug)


@require_POST
@login_required
def snapshot_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    form = SnapshotForm(request.POST)
    if form.is_valid():
        try:
            services.create_once(
                actor=request.user,
                token=form.cleaned_data["once"],
                kind="snapshot-create",
                model=Snapshot,
                create=lambda: services.snapshot_create(
                    timeline=timeline, actor=request.user, as_of=form.cleaned_data["as_of"]
                ),
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Shared a snapshot. Its link below keeps showing the timeline as it was.")
            return redirect("timeline-share", slug=slug)
    return _share_page(request, timeline, form, status=422)


@require_POST
@login_required
def snapshot_revoke(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    snapshot = get_object_or_404(Snapshot.objects.select_related("timeline"), pk=pk, timeline=timeline)
    if not request.POST.get("confirmed"):
        return _confirm(
            request,
            timeline,
            f"Withdraw the snapshot as of {snapshot.as_of:%d %B %Y, %H:%M} UTC?",
            "Anyone who opens its link will be told it was turned off. "
            "This cannot be undone: a new snapshot has a new link.",
            "Withdraw the snapshot",
        )
    services.snapshot_revoke(snapshot=snapshot, actor=request.user)
    messages.success(request, "Withdrew the snapshot. Its link now says it was turned off.")
    return redirect("timeline-share", slug=slug)
