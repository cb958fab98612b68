"""A timeline's settings for its owners: name, address, owner, archive, delete; and deleted timelines restored."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factline import selectors, services
from factline.forms import DeleteTimelineForm, TimelineSettingsForm, TransferForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Timeline
from factline.models.timelines import RESTORE_DAYS, Role

SETTINGS = "timelines/timeline_settings.html"


def _errors(form: BaseForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _page(request: AuthenticatedRequest, timeline: Timeline, status: int = 200, **forms: BaseForm) -> HttpResponse:
    context = {
        "timeline": timeline,
        "form": forms.get("form") or TimelineSettingsForm(instance=timeline),
        "transfer": forms.get("transfer") or TransferForm(timeline=timeline, user=request.user),
        "restore_days": RESTORE_DAYS,
    }
    return render(request, SETTINGS, context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def timeline_settings(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    if request.method != "POST":
        return _page(request, timeline)
    form = TimelineSettingsForm(request.POST, instance=Timeline.objects.get(pk=timeline.pk))
    if form.is_valid():
        try:
            changed = services.timeline_update(timeline=timeline, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, "Saved the timeline's settings.")
            return redirect("timeline-settings", slug=changed.slug)
    return _page(request, timeline, status=422, form=form)


@require_POST
@login_required
def timeline_transfer(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    form = TransferForm(request.POST, timeline=timeline, user=request.user)
    if form.is_valid():
        try:
            member = services.timeline_transfer(timeline=timeline, actor=request.user, to=form.cleaned_data["member"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"{member.user.get_username()} now owns this timeline; you are an editor.")
            return redirect(timeline)
    return _page(request, timeline, status=422, transfer=form)


@require_POST
@login_required
def timeline_archive(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    if request.POST.get("archived") not in ("0", "1"):  # a crafted or truncated button; it used to archive
        return bad_request(request, "The button must say whether to archive the timeline (archived: 0 or 1).")
    archived = request.POST.get("archived") == "1"
    services.timeline_archive(timeline=timeline, actor=request.user, archived=archived)
    messages.success(request, "Archived: the timeline is read-only." if archived else "Unarchived: editing is back.")
    return redirect("timeline-settings", slug=timeline.slug)


@require_http_methods(["GET", "POST"])
@login_required
def timeline_delete(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    form = DeleteTimelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.timeline_delete(timeline=timeline, actor=request.user, typed_name=form.cleaned_data["typed_name"])
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"Deleted “{timeline.title}”. You can restore it here for {RESTORE_DAYS} days.")
            return redirect("timelines-deleted")
    context = {"timeline": timeline, "form": form, "restore_days": RESTORE_DAYS}
    return render(request, "timelines/timeline_delete.html", context, status=422 if form.errors else 200)


@require_safe
@login_required
def deleted_timelines(request: AuthenticatedRequest) -> HttpResponse:
    timelines = selectors.deleted_timelines_for(request.user)
    return render(request, "timelines/deleted_timelines.html", {"timelines": timelines, "restore_days": RESTORE_DAYS})


@require_POST
@login_required
def timeline_restore(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    timeline = selectors.deleted_timeline_for(request.user, pk)
    try:
        restored = services.timeline_restore(timeline=timeline, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("timelines-deleted")
    messages.success(request, f"Restored “{restored.title}”.")
    return redirect(restored)
