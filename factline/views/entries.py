"""Entries edited in place: htmx swaps the entry's block; without JavaScript the same forms are pages."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from factline import selectors, services
from factline.forms import CitingEntryForm, EntryForm, FilterForm, SummaryForm, VersionForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Citation, Entry, Timeline
from factline.models.timelines import Role, Status

BLOCK = "timelines/timeline_detail.html#entry-block"
PLACED = "entries/entry_placed.html"
DELETED = "entries/entry_deleted.html"
FORM = "entries/entry_form.html"
CONFLICT = "entries/entry_conflict.html"


def _entry(timeline: Timeline, pk: int) -> Entry:
    return get_object_or_404(selectors.entries_of(timeline), pk=pk)


def _block(
    request: AuthenticatedRequest, timeline: Timeline, entry: Entry, template: str = BLOCK, **context
) -> HttpResponse:
    """The entry's block for htmx, focus on its Edit button once swapped in; or the editor page scrolled to it."""
    if not request.htmx:
        return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
    entry = _entry(timeline, entry.pk)
    # The headline sits under the editor's "Jump to year" (h2) there; right under the h1 on other pages.
    heading = 3 if urlsplit(request.htmx.current_url or "").path == timeline.get_absolute_url() else 2
    context = {"timeline": timeline, "entry": entry, "focus": True, "heading": heading, **context}
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _form(
    request: AuthenticatedRequest,
    timeline: Timeline,
    form: EntryForm,
    entry: Entry | None,
    status: int = 200,
    **context,
) -> HttpResponse:
    template = FORM + "#entry-form" if request.htmx else FORM
    context = {"timeline": timeline, "form": form, "entry": entry, **context}
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _listed(request: AuthenticatedRequest, timeline: Timeline) -> Listed | None:
    """The entries listed by the editor page this htmx request came from, its filters read from its address.

    None when it came from another page (an entry's own page), which has no list to keep in order. A
    long list shows one year (selectors.year_pages): then only that year's entries are listed.
    """
    page = urlsplit(request.htmx.current_url or "")
    if page.path != timeline.get_absolute_url():
        return None
    filters = FilterForm(QueryDict(page.query))
    entries = selectors.filter_entries(Entry.objects.filter(timeline=timeline), **filters.entry_filters())
    pages = selectors.year_pages(entries, filters.chosen_year())
    return Listed(pages.of(entries), paged=pages.year is not None)


class Listed(NamedTuple):
    entries: QuerySet[Entry]
    paged: bool  # one year of a long list: its jump-to-year links go to pages, and stay as they are

    @property
    def years(self) -> QuerySet[Entry] | None:
        """What the jump-to-year links are made of after a change; None to leave them."""
        return None if self.paged else selectors.year_anchors(self.entries)


def _placed(request: AuthenticatedRequest, timeline: Timeline, entry: Entry, listed: Listed, **context):
    """The entry's block where it now sorts among the listed entries, and the jump-to-year links to match."""
    following = selectors.entry_after(entry, listed.entries.exclude(pk=entry.pk))
    context["years"] = listed.years
    response = _block(request, timeline, entry, PLACED, **context)
    if following is not None:
        return reswap(retarget(response, f"#entry-{following.pk}"), "beforebegin")
    return reswap(retarget(response, "#entry-list"), "beforeend")


@require_safe
@login_required
def entry_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    entry = _entry(timeline, pk)
    if request.htmx:
        return _block(request, timeline, entry)
    return render(request, "entries/entry_detail.html", {"timeline": timeline, "entry": entry})


@require_http_methods(["GET", "POST"])
@login_required
def entry_create(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    # "New entry from this date": `?mention=` fills the date and cites the sentence it is in.
    mention = selectors.mention_for(request.user, request.GET.get("mention"))
    citing = mention is not None or "passage" in request.POST
    initial = CitingEntryForm.initial_from(mention) if mention else None
    form = (CitingEntryForm if citing else EntryForm)(request.POST or None, initial=initial, timeline=timeline)
    if request.method == "POST" and form.is_valid():
        fields = {"actor": request.user, "timeline": timeline, "reason": form.cleaned_data["summary"]}
        if citing:
            fields.update(passage=form.cleaned_data["passage"], quote=form.cleaned_data["quote"])
        create = services.entry_create_citing if citing else services.entry_create
        try:
            sent = services.create_once(
                actor=request.user,
                token=form.cleaned_data["once"],
                kind="entry-create",
                model=Entry,
                create=lambda: create(**fields, **form.entry_fields()),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if sent.repeat or sent.object is None:
                return _sent_before(request, timeline, sent.object)
            if not request.htmx:
                messages.success(request, f"Added “{sent.object.headline}”.")
                return redirect(f"{timeline.get_absolute_url()}#entry-{sent.object.pk}")
            return _created(request, timeline, sent.object)
    return _form(request, timeline, form, None, status=422 if form.errors else 200, mention=mention)


def _sent_before(request: AuthenticatedRequest, timeline: Timeline, entry: Entry | None) -> HttpResponse:
    """A repeat of an add already made (a double click, a retry): go to the entry it made, never a second one."""
    url = f"{timeline.get_absolute_url()}#entry-{entry.pk}" if entry else timeline.get_absolute_url()
    if entry is None:
        messages.info(request, "This form was already sent; what it added has been deleted since.")
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


def _created(request: AuthenticatedRequest, timeline: Timeline, entry: Entry) -> HttpResponse:
    """Put the new block where it sorts among the others, and give back an empty add form."""
    listed = _listed(request, timeline)
    if listed is None:
        return HttpResponseClientRedirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
    fresh_form = EntryForm(timeline=timeline)
    if not listed.entries.filter(pk=entry.pk).exists():
        # Slipped into a list whose filters leave it out, it would seem lost (and be added twice).
        return _form(request, timeline, fresh_form, None, added=entry, hidden=True)
    return _placed(request, timeline, entry, listed, fresh_form=fresh_form)


def _saved(request: AuthenticatedRequest, timeline: Timeline, before: Entry, entry: Entry) -> HttpResponse:
    """The saved entry's block; moved to where it now sorts when its date changed."""
    moved = (entry.start, entry.precision) != (before.start, before.precision)
    listed = _listed(request, timeline) if moved else None
    if listed is None:
        return _block(request, timeline, entry)
    others = listed.entries.exclude(pk=entry.pk)
    if selectors.entry_after(before, others) == selectors.entry_after(entry, others):
        # Still in its place: swapped where it stands; only the years may have changed.
        return _block(request, timeline, entry, PLACED, years=listed.years)
    return _placed(request, timeline, entry, listed, moved=True)


@require_http_methods(["GET", "POST"])
@login_required
def entry_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    if request.method == "GET":
        form = EntryForm(initial=EntryForm.initial_for(entry), timeline=timeline, entry=entry)
        return _form(request, timeline, form, entry)
    form = EntryForm(request.POST, timeline=timeline, entry=entry)
    if form.is_valid():
        try:
            saved = services.entry_update(
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
                messages.success(request, f"Saved “{saved.headline}”.")
                return _block(request, timeline, saved)
            return _saved(request, timeline, entry, saved)
    return _form(request, timeline, form, entry, status=422)


def _conflict(request: AuthenticatedRequest, timeline: Timeline, form: EntryForm, conflict: services.EditConflict):
    from factline.conflicts import compare

    context = {"timeline": timeline, **compare(form, conflict)}
    template = CONFLICT + "#conflict" if request.htmx else CONFLICT
    response = render(request, template, context, status=409)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _stale(
    request: AuthenticatedRequest, timeline: Timeline, conflict: services.EditConflict, action: str
) -> HttpResponse:
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
def entry_status(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    if request.POST.get("status") not in Status.values:
        # A crafted or truncated button, not a person's choice: it used to unpublish.
        return bad_request(request, "The button must say which status to give the entry (draft or published).")
    status = Status(request.POST["status"])
    version = VersionForm.read(request.POST)
    if version is None:
        return bad_request(request, VersionForm.MISSING)
    try:
        entry = services.entry_set_status(entry=entry, actor=request.user, status=status, expected_version=version)
    except services.EditConflict as conflict:
        return _stale(request, timeline, conflict, "published" if status == Status.PUBLISHED else "unpublished")
    except ValidationError as error:
        message = " ".join(error.messages)
        if not request.htmx:
            messages.error(request, f"“{entry.headline}” was not published: {message}")
        return _block(request, timeline, entry, status_error=message)
    if not request.htmx:
        done = "Published" if entry.is_published else "Unpublished"
        messages.success(request, f"{done} “{entry.headline}”.")
    return _block(request, timeline, entry)


@require_http_methods(["GET", "POST"])
@login_required
def entry_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = _entry(timeline, pk)
    if request.method == "GET":
        return render(request, "entries/entry_confirm_delete.html", {"timeline": timeline, "entry": entry})
    version = VersionForm.read(request.POST)
    if version is None:
        return bad_request(request, VersionForm.MISSING)
    summary = SummaryForm(request.POST)
    if not summary.is_valid():
        return bad_request(request, " ".join(str(message) for message in summary.errors["summary"]))
    try:
        services.entry_delete(
            entry=entry, actor=request.user, expected_version=version, reason=summary.cleaned_data["summary"]
        )
    except services.EditConflict as conflict:
        return _stale(request, timeline, conflict, "deleted")
    if request.htmx:
        # In the block's place, a line that says what went and how to bring it back; the years follow.
        listed = _listed(request, timeline)
        years = listed.years if listed is not None else None
        response = render(request, DELETED, {"timeline": timeline, "entry": entry, "entry_id": pk, "years": years})
        patch_vary_headers(response, ["HX-Request"])
        return response
    messages.success(request, f"Deleted “{entry.headline}”. Its history keeps it.")
    return redirect(timeline)


@require_http_methods(["GET", "POST"])
@login_required
def citation_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """GET asks first (a page, or inline for htmx); POST removes."""
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    citation = get_object_or_404(
        Citation.objects.select_related("entry", "passage__source").defer("passage__source__text"),
        pk=pk,
        entry__timeline=timeline,
    )
    entry = citation.entry
    if request.method == "GET":
        template = "entries/citation_confirm_delete.html"
        template += "#confirm" if request.htmx else ""
        response = render(request, template, {"timeline": timeline, "entry": entry, "citation": citation})
        patch_vary_headers(response, ["HX-Request"])
        return response
    try:
        services.citation_delete(citation=citation, actor=request.user)
    except ValidationError as error:
        message = " ".join(error.messages)
        if not request.htmx:
            messages.error(request, message)
        return _block(request, timeline, entry, status_error=message)
    if not request.htmx:
        messages.success(request, f"Removed the citation of {citation.passage}.")
    return _block(request, timeline, entry)
