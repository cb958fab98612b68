"""Entries edited in place: htmx swaps the entry's block; without JavaScript the same forms are pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factline import selectors, services
from factline.forms import EntryForm
from factline.models import Citation, Entry, Timeline
from factline.models.timelines import Role, Status

BLOCK = "timelines/timeline_detail.html#entry-block"
YEARS = "timelines/timeline_detail.html#year-nav"
FORM = "entries/entry_form.html"
CONFLICT = "entries/entry_conflict.html"


def _entry(timeline: Timeline, pk: int) -> Entry:
    return get_object_or_404(selectors.entries_of(timeline), pk=pk)


def _block(request: HttpRequest, timeline: Timeline, entry: Entry, template: str = BLOCK, **context) -> HttpResponse:
    """The entry's block for htmx, or the editor page scrolled to it."""
    if not request.htmx:
        return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
    entry = _entry(timeline, entry.pk)
    response = render(request, template, {"timeline": timeline, "entry": entry, **context})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form(request: HttpRequest, timeline: Timeline, form: EntryForm, entry: Entry | None, status: int = 200):
    template = FORM + "#entry-form" if request.htmx else FORM
    response = render(request, template, {"timeline": timeline, "form": form, "entry": entry}, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@login_required
def entry_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    entry = _entry(timeline, pk)
    if request.htmx:
        return _block(request, timeline, entry)
    return render(request, "entries/entry_detail.html", {"timeline": timeline, "entry": entry})


@require_http_methods(["GET", "POST"])
@login_required
def entry_create(request: HttpRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    form = EntryForm(request.POST or None, timeline=timeline)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_create(
                actor=request.user, timeline=timeline, reason=form.cleaned_data["summary"], **form.entry_fields()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if not request.htmx:
                messages.success(request, f"Added “{entry.headline}”.")
                return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
            return _created(request, timeline, entry)
    return _form(request, timeline, form, None, status=422 if form.errors else 200)


def _created(request: HttpRequest, timeline: Timeline, entry: Entry) -> HttpResponse:
    """Put the new block where it sorts among the others, and give back an empty add form."""
    fresh_form = EntryForm(timeline=timeline)
    years = selectors.year_anchors(timeline)
    response = _block(request, timeline, entry, "entries/entry_created.html", fresh_form=fresh_form, years=years)
    following = selectors.entry_after(entry)
    if following is not None:
        return _reswap(response, f"#entry-{following.pk}", "beforebegin")
    return _reswap(response, "#entry-list", "beforeend")


def _reswap(response: HttpResponse, target: str, swap: str) -> HttpResponse:
    response["HX-Retarget"] = target
    response["HX-Reswap"] = swap
    return response


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    if request.method == "GET":
        form = EntryForm(initial=EntryForm.initial_for(entry), timeline=timeline, entry=entry)
        return _form(request, timeline, form, entry)
    form = EntryForm(request.POST, timeline=timeline, entry=entry)
    if form.is_valid():
        try:
            entry = services.entry_update(
                entry=entry,
                actor=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["summary"],
                **form.entry_fields(),
            )
        except services.EditConflict as conflict:
            return _conflict(request, timeline, form, conflict)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if not request.htmx:
                messages.success(request, f"Saved “{entry.headline}”.")
            return _block(request, timeline, entry)
    return _form(request, timeline, form, entry, status=422)


def _conflict(request: HttpRequest, timeline: Timeline, form: EntryForm, conflict: services.EditConflict):
    from factline.conflicts import compare

    context = {"timeline": timeline, **compare(form, conflict)}
    template = CONFLICT + "#conflict" if request.htmx else CONFLICT
    response = render(request, template, context, status=409)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _version(request: HttpRequest) -> int | None:
    """The version of the entry the page showed when the button was pressed."""
    value = request.POST.get("version", "")
    return int(value) if value.isdecimal() else None


def _stale(request: HttpRequest, timeline: Timeline, conflict: services.EditConflict, action: str) -> HttpResponse:
    """Refuse a button pressed on an old copy of the entry: show the entry as it is now, and say why."""
    entry = conflict.current
    latest = entry.history.select_related("history_user").first()
    who = latest.history_user.get_username() if latest and latest.history_user else "Someone"
    message = (
        f"Not {action}: {who} changed this entry after you opened the page. "
        "Here it is now; try again if you still mean to."
    )
    if not request.htmx:
        messages.error(request, message)
        return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
    response = _block(request, timeline, entry, status_error=message)
    response.status_code = 409
    return response


@require_POST
@login_required
def entry_status(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    status = Status.PUBLISHED if request.POST.get("status") == Status.PUBLISHED else Status.DRAFT
    try:
        entry = services.entry_set_status(
            entry=entry, actor=request.user, status=status, expected_version=_version(request)
        )
    except services.EditConflict as conflict:
        return _stale(request, timeline, conflict, "published" if status == Status.PUBLISHED else "unpublished")
    except ValidationError as error:
        message = " ".join(error.messages)
        if not request.htmx:
            messages.error(request, f"“{entry.headline}” was not published: {message}")
        return _block(request, timeline, entry, status_error=message)
    return _block(request, timeline, entry)


@require_http_methods(["GET", "POST"])
@login_required
def entry_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    if request.method == "GET":
        return render(request, "entries/entry_confirm_delete.html", {"timeline": timeline, "entry": entry})
    try:
        services.entry_delete(
            entry=entry, actor=request.user, expected_version=_version(request), reason=request.POST.get("summary", "")
        )
    except services.EditConflict as conflict:
        return _stale(request, timeline, conflict, "deleted")
    if request.htmx:
        # The block goes (nothing to swap in its place); the jump-to-year links follow.
        return render(request, YEARS, {"entries": selectors.year_anchors(timeline)})
    messages.success(request, f"Deleted “{entry.headline}”. Its history keeps it.")
    return redirect(timeline)


@require_POST
@login_required
def citation_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    citation = get_object_or_404(Citation.objects.select_related("entry"), pk=pk, entry__timeline=timeline)
    entry = citation.entry
    try:
        services.citation_delete(citation=citation, actor=request.user)
    except ValidationError as error:
        message = " ".join(error.messages)
        if not request.htmx:
            messages.error(request, message)
        return _block(request, timeline, entry, status_error=message)
    return _block(request, timeline, entry)
