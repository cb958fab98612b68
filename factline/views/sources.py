"""The library of sources, and reading one: numbered passages, who cites them, and citing from them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from factline import selectors, services
from factline.forms import RatingForm, SourceForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Entry, Source, SourceRating, Timeline
from factline.models.timelines import Role
from factline.presentation.citing import READING, reading_context


@require_safe
@login_required
def source_list(request: AuthenticatedRequest) -> HttpResponse:
    sources = Source.objects.defer("text").order_by("title")  # the list shows titles, never whole articles
    context = {"sources": sources, "can_add": services.may_edit_sources(request.user)}
    return render(request, "sources/source_list.html", context)


@require_safe
@login_required
def source_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    # `?entry=` opens the source for citing; an entry the user may not edit is simply ignored.
    entry = selectors.editable_entry(request.user, request.GET.get("entry"))
    working = _working_timeline(request, entry)
    return render(request, READING, reading_context(request.user, source, entry=entry, working=working))


def _working_timeline(request: AuthenticatedRequest, entry: Entry | None) -> Timeline | None:
    """The timeline being worked on: the entry's being cited for, or `?timeline=<slug>` of the user's own."""
    if entry is not None:
        return entry.timeline
    slug = request.GET.get("timeline", "")[:80]
    if not slug_re.fullmatch(slug):  # no timeline's address (PostgreSQL refuses a NUL in the query: a 500)
        return None
    return Timeline.objects.filter(slug=slug, memberships__user=request.user).first()


@require_http_methods(["GET", "POST"])
@login_required
def source_rate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A timeline's rating (`?timeline=<slug>`) of a source: its editors set it, and only its own pages show it."""
    slug = request.GET.get("timeline", "")[:80]
    if not slug_re.fullmatch(slug):
        return bad_request(request, "Say which timeline's rating this is: ?timeline= followed by its address.")
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    source = selectors.source_for(request.user, pk)
    rating = SourceRating.objects.filter(timeline=timeline, source=source).first()
    initial = {"reliability": rating.reliability, "reason": rating.reason} if rating else {}
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_rate(
                actor=request.user,
                timeline=timeline,
                source=source,
                reliability=data["reliability"],
                reason=data["reason"],
                summary=data["summary"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Saved how “{timeline.title}” rates this source.")
            return redirect(f"{source.get_absolute_url()}?timeline={timeline.slug}")
    past = SourceRating.history.filter(timeline_id=timeline.pk, source_id=source.pk).select_related("history_user")
    context = {"source": source, "timeline": timeline, "form": form, "past": past.order_by("-history_date")[:20]}
    return render(request, "sources/source_rate.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    if not services.may_edit_sources(request.user):
        raise PermissionDenied("Only editors of a timeline change sources.")
    form = SourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        if not form.changes():
            return redirect(source)
        try:
            services.source_update(
                source=source, actor=request.user, reason=form.cleaned_data["reason"], **form.changes()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved the source's details. Its history keeps what they were.")
            return redirect(source)
    status = 422 if form.errors else 200
    return render(request, "sources/source_edit.html", {"source": source, "form": form}, status=status)


@require_safe
@login_required
def mention_entry(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """ "New entry from this date": straight to the entry form of the timeline chosen (or the only one)."""
    mention = selectors.mention_for(request.user, pk)
    if mention is None:
        raise selectors.NotFound("No such date.")
    timelines = list(selectors.editable_timelines(request.user))
    chosen = next((t for t in timelines if t.slug == request.GET.get("timeline")), None)
    if chosen is None and len(timelines) == 1:
        chosen = timelines[0]
    if chosen is not None:
        return redirect(f"{reverse('entry-create', args=[chosen.slug])}?mention={mention.pk}")
    if not timelines:
        raise PermissionDenied("Only editors of a timeline add entries.")
    return render(request, "sources/mention_entry.html", {"mention": mention, "timelines": timelines})
