"""Reviewing history: an entry's revisions and their differences, reverts, deleted entries, a timeline's
activity, the timeline as it stood at a past moment, and the history of a source."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from factline import dates, history, selectors, services
from factline.forms import ActivityFilter, AsOfForm, RevertForm, VersionForm
from factline.history import CITATION, ENTRY, MEMBER, SNAPSHOT, TIMELINE, Change, EntryHistory
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Entry, Timeline
from factline.models.timelines import Role

PER_PAGE = 20


def _history(timeline: Timeline, pk: int) -> EntryHistory:
    """The entry's history, deleted entries too; 404 unless the entry is (or was) on this timeline."""
    found = EntryHistory(pk, timeline.pk)
    if not found:
        raise Http404("No such entry.")
    return found


def _revision(found: EntryHistory, key: str | None) -> Change | None:
    """The change named by `key`; None when no key is given, 404 for a key this entry's history lacks."""
    if not key:
        return None
    change = found.find(key)
    if change is None:
        raise Http404("No such revision.")
    return change


@require_GET
@login_required
def entry_history(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    found = _history(timeline, pk)
    page = Paginator(found.changes[::-1], PER_PAGE).get_page(request.GET.get("page"))
    found.describe(list(page.object_list))
    context = {"timeline": timeline, "history": found, "page": page}
    return render(request, "history/entry_history.html", context)


@require_GET
@login_required
def entry_compare(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    found = _history(timeline, pk)
    new = _revision(found, request.GET.get("to")) or found.latest
    old = _revision(found, request.GET.get("from")) if request.GET.get("from") else found.before(new)
    if old is not None and old.number > new.number:
        old, new = new, old
    before, after = found.states([old, new], describe=[change for change in (old, new) if change])
    fields, citations = history.compare(before, after)
    context = {"timeline": timeline, "history": found, "old": old, "new": new, "fields": fields}
    context |= {"citations": citations}
    return render(request, "history/entry_compare.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def entry_revert(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = get_object_or_404(Entry, pk=pk, timeline=timeline)
    found = _history(timeline, pk)
    target = _revision(found, request.POST.get("to") or request.GET.get("to")) or found.latest
    form = RevertForm(request.POST or None, initial={"to": target.key, "version": entry.version})
    problem, status = "", 200
    if request.method == "POST" and not form.is_valid() and "version" in form.errors:
        return bad_request(request, VersionForm.MISSING)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.entry_revert(entry=entry, actor=request.user, **_revert_args(target, form.cleaned_data))
        except services.EditConflict as conflict:
            found = EntryHistory(pk, timeline.pk)  # what changed meanwhile is part of the comparison now
            form = RevertForm(initial={**form.cleaned_data, "version": conflict.current.version})
            problem, status = "Someone changed this entry while you looked: check the differences again.", 409
        except ValidationError as error:
            problem, status = " ".join(error.messages), 422
        else:
            messages.success(request, f"Reverted “{entry.headline}” to revision {target.number}.")
            return redirect("entry-history", slug=slug, pk=pk)
    return _revert_page(request, timeline, found, target, form, problem, status)


def _revert_args(target: Change, data: dict) -> dict:
    row = target.entry_row
    key = {"history_id": row.history_id} if row else {"citation_history_id": target.rows[0].history_id}
    return {**key, "expected_version": data["version"], "reason": data["reason"]}


def _revert_page(request, timeline, found: EntryHistory, target: Change, form, problem: str, status: int):
    """What reverting would change: the entry now against the revision, and the form that does it."""
    target = found.find(target.key) or target
    now, then = found.states([found.latest, target], describe=[target])
    fields, citations = history.compare(now, then)
    context = {"timeline": timeline, "history": found, "target": target, "form": form, "problem": problem}
    unchanged = not citations and not any(field.changed for field in fields)
    context |= {"fields": fields, "citations": citations, "current": target is found.latest, "then": then}
    context |= {"unchanged": unchanged, "consequences": history.revert_consequences(now, then, citations)}
    return render(request, "history/entry_revert.html", context, status=status)


@require_GET
@login_required
def deleted_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    page = Paginator(history.deleted_entries(timeline), 50).get_page(request.GET.get("page"))
    rows = history.deleted_with_citations(list(page.object_list))
    context = {"timeline": timeline, "page": page, "rows": rows}
    return render(request, "history/timeline_deleted.html", context)


@require_POST
@login_required
def entry_restore(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    try:
        entry = services.entry_restore(
            timeline=timeline, entry_id=pk, actor=request.user, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        if getattr(error, "code", None) == "unknown":
            raise Http404("No such entry.") from None
        messages.error(request, " ".join(error.messages))
        return redirect("timeline-deleted", slug=slug)
    count = entry.citations.count()
    messages.success(request, f"Restored “{entry.headline}” with {count} citation{'s' if count != 1 else ''}.")
    return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")


@require_GET
@login_required
def timeline_activity(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    people, entries = history.activity_people(timeline), _entry_choices(timeline)
    filters = ActivityFilter(request.GET, people=people, entries=entries)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = history.activity(
        timeline,
        user_id=chosen.get("person"),
        entry_id=chosen.get("entry"),
        since=chosen.get("since"),
        not_by=request.user.pk if chosen.get("others") else None,
    )
    page = Paginator(rows, 40).get_page(request.GET.get("page"))
    changes = history.activity_changes(history.whole_changes(rows, page))
    context = {"timeline": timeline, "filters": filters, "page": page, "changes": changes}
    return render(request, "history/timeline_activity.html", context, status=422 if filters.errors else 200)


def _entry_choices(timeline: Timeline) -> list[tuple[int, str]]:
    """The timeline's entries in date order, then its deleted ones, which say so: two queries."""
    # Dated, so that two entries with the same headline can be told apart.
    fields = ("id", "headline", "start", "precision", "approximate")
    live = Entry.objects.filter(timeline=timeline).order_by(*dates.entry_order()).values_list(*fields)
    deleted = history.deleted_entries(timeline).values_list(*fields)
    return [
        *((pk, f"{dates.display(*date)}: {headline}") for pk, headline, *date in live),
        *((pk, f"{dates.display(*date)}: {headline} (deleted)") for pk, headline, *date in deleted),
    ]


@require_GET
@login_required
def change_detail(request: AuthenticatedRequest, slug: str, kind: str, history_id: int) -> HttpResponse:
    """One change of the activity: an entry's goes to its comparison, the timeline's or a member's is shown."""
    timeline = selectors.timeline_for(request.user, slug)
    if kind not in history.MODELS:
        raise Http404("No such change.")
    # The route takes any digits; a history id never passes the database's 64-bit integers.
    loaded = history.with_previous(kind, [history_id]).get(history_id) if history_id < 2**63 else None
    if loaded is None or _timeline_of(kind, loaded[0]) != timeline.pk:
        raise Http404("No such change.")
    row, previous = loaded
    if kind in (ENTRY, CITATION):
        url = reverse("entry-compare", args=[slug, row.id if kind == ENTRY else row.entry_id])
        return redirect(f"{url}?to={kind[0]}{history_id}")
    fields = history.record_fields(kind, row, previous)
    words = history.record_words(kind, row, previous)
    context = {"timeline": timeline, "row": row, "fields": fields, "words": words, "kind": kind}
    context |= dict(zip(("note", "summary"), history.note_and_summary(row), strict=True))
    return render(request, "history/change_detail.html", context)


def _timeline_of(kind: str, row) -> int | None:
    if kind == TIMELINE:
        return row.id
    if kind in (ENTRY, MEMBER, SNAPSHOT):
        return row.timeline_id
    return Entry.history.filter(id=row.entry_id).values_list("timeline_id", flat=True).first()


@require_GET
@login_required
def timeline_as_of(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    form = AsOfForm(request.GET or None, timeline=timeline)
    context = {"timeline": timeline, "form": form}
    if not form.is_valid():
        return render(request, "history/timeline_as_of.html", context, status=422 if form.errors else 200)
    when = form.cleaned_data["as_of"]
    pages, entries = selectors.as_of_page(timeline, when, form.chosen_year())
    context |= {
        "when": when,
        "whole_day": form.whole_day,
        "up_to_now": form.up_to_now,
        "then": Timeline.history.filter(id=timeline.pk, history_date__lte=when).first() or timeline,
        "entries": entries,
        "pages": pages,
    }
    return render(request, "history/timeline_as_of.html", context)


@require_GET
@login_required
def source_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    page = Paginator(history.source_history(source), PER_PAGE).get_page(request.GET.get("page"))
    rows = history.tell_source_rows(list(page.object_list), request.user)
    return render(request, "history/source_history.html", {"source": source, "page": page, "rows": rows})
