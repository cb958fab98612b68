"""Citing passages from an entry: the finder that searches every source, and the form that cites.

The same POST serves the finder's hits and the reading view's passages (`origin` says which page to
answer with): with htmx it swaps the hit or the passage; without, it redirects to the entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from factline import search, selectors, services, suggest
from factline.forms import SOURCE, SUGGESTED, CiteForm
from factline.http import AuthenticatedRequest
from factline.models import Citation, Entry, Passage, Timeline
from factline.models.timelines import Role
from factline.presentation.citing import (
    PASSAGE_BLOCK,
    READING,
    FinderHit,
    finder_hit,
    finder_hits,
    passage_context,
    reading_context,
)

TEMPLATE = "citing/entry_cite.html"


def _editable_entry(request: AuthenticatedRequest, slug: str, pk: int) -> tuple[Timeline, Entry]:
    """The timeline and its entry, if the user may edit them: 404 for non-members, 403 for viewers."""
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry = get_object_or_404(selectors.entries_of(timeline), pk=pk)
    entry.timeline = timeline  # already loaded, with the user's role
    return timeline, entry


@require_safe
@login_required
def entry_suggest(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """Passages of every source that could support the entry, best first, each with a one-click cite."""
    timeline, entry = _editable_entry(request, slug, pk)
    found = suggest.suggest(entry, excluded={c.passage_id for c in entry.citations.all()})
    # Each suggestion with its one-click citing form, as (suggestion, form) pairs.
    suggestions = [
        (each, CiteForm(initial={"passage": each.passage.pk, "origin": SUGGESTED}, passage_id=each.passage.pk))
        for each in found
    ]
    context = {"timeline": timeline, "entry": entry, "suggestions": suggestions}
    return render(request, "citing/entry_suggest.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def entry_cite(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    """The finder (GET), and citing a passage for the entry from the finder or a source (POST)."""
    timeline, entry = _editable_entry(request, slug, pk)
    if request.method == "GET":
        return _finder(request, timeline, entry, request.GET.get("q", ""))
    form = CiteForm(request.POST, passage_id=request.POST.get("passage"))
    if form.is_valid():
        data = form.cleaned_data
        try:
            sent = services.create_once(
                actor=request.user,
                token=data["once"],
                kind="entry-cite",
                model=Citation,
                create=lambda: services.citation_create(
                    actor=request.user,
                    entry=entry,
                    passage=data["passage"],
                    quote=data["quote"],
                    stance=data["stance"],
                    start=data["start"],
                ),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if sent.object is None:  # sent before, and the citation it made was removed since
                messages.info(request, "This citation was already sent, and has been removed since.")
                return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
            # A repeat answers as the first sending did: the same swap shows the same citation.
            return _cited(request, timeline, entry, sent.object, form)
    return _refused(request, timeline, entry, form)


def _finder(
    request: AuthenticatedRequest,
    timeline: Timeline,
    entry: Entry,
    q: str,
    bound: CiteForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The finder page, or only its hits when htmx asks for them as the user types."""
    hits = finder_hits(search.passage_search(q, entry=entry), q, bound)
    if bound is not None:
        hits = _with_bound(hits, bound, q)
    # A refusal about no hit on the page (a passage that cannot be cited) is shown above the hits.
    refused = bound if bound is not None and not any(hit.cite_form is bound for hit in hits) else None
    context = {"timeline": timeline, "entry": entry, "q": q.strip(), "hits": hits, "refused": refused}
    partial = request.htmx and request.htmx.target == "cite-hits"
    response = render(request, TEMPLATE + "#cite-hits" if partial else TEMPLATE, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _with_bound(hits: list[FinderHit], bound: CiteForm, q: str) -> list[FinderHit]:
    """Keep the passage whose form was refused on the page, so its error shows, even if the search moved on."""
    if bound.passage_id is None or any(hit.passage.pk == bound.passage_id for hit in hits):
        return hits
    passages = Passage.objects.select_related("source").defer("source__text")
    passage = passages.filter(pk=bound.passage_id, boilerplate=False).first()
    if passage is None:
        return hits
    return [finder_hit(passage, q, bound, cited=False), *hits]


def _passage_response(
    request: AuthenticatedRequest, passage: Passage, *, status: int = 200, **context: Any
) -> HttpResponse:
    """One passage's block of the reading view, for htmx."""
    response = render(request, PASSAGE_BLOCK, passage_context(request.user, passage, **context), status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _cited(
    request: AuthenticatedRequest, timeline: Timeline, entry: Entry, citation: Citation, form: CiteForm
) -> HttpResponse:
    if form.came_from == SUGGESTED:
        messages.success(request, f"Cited {citation.passage} ({citation.get_stance_display().lower()}).")
        return redirect("entry-suggest", slug=timeline.slug, pk=entry.pk)
    if not request.htmx:
        messages.success(request, f"Cited {citation.passage} ({citation.get_stance_display()}).")
        return redirect(f"{timeline.get_absolute_url()}#entry-{entry.pk}")
    entry = get_object_or_404(selectors.entries_of(timeline), pk=entry.pk)
    entry.timeline = timeline
    if form.came_from == SOURCE:
        return _passage_response(request, citation.passage, entry=entry, cited=citation)
    q = form.cleaned_data.get("q", "")
    return _hit_response(request, timeline, entry, citation.passage, None, q, cited=citation)


def _refused(request: AuthenticatedRequest, timeline: Timeline, entry: Entry, form: CiteForm) -> HttpResponse:
    """The form again with its errors next to the fields, the typed words kept, nothing saved."""
    passage = form.cleaned_data.get("passage")
    if form.came_from == SOURCE and passage is not None:
        if request.htmx:
            return _passage_response(request, passage, entry=entry, form=form, status=422)
        return render(
            request, READING, reading_context(request.user, passage.source, entry=entry, form=form), status=422
        )
    if request.htmx and passage is not None:
        return _hit_response(request, timeline, entry, passage, form, form.data.get("q", ""), status=422)
    return _finder(request, timeline, entry, form.data.get("q", ""), bound=form, status=422)


def _hit_response(
    request: AuthenticatedRequest,
    timeline: Timeline,
    entry: Entry,
    passage: Passage,
    form: CiteForm | None,
    q: str,
    *,
    cited: Citation | None = None,
    status: int = 200,
) -> HttpResponse:
    """One hit of the finder for htmx; after citing, the entry's summary above the hits is replaced too."""
    already = cited is not None or entry.citations.filter(passage=passage).exists()
    context = {"timeline": timeline, "entry": entry, "hit": finder_hit(passage, q, form, cited=already), "cited": cited}
    html = render_to_string(TEMPLATE + "#cite-hit", context, request)
    if cited is not None:
        html += render_to_string(TEMPLATE + "#cite-entry", {**context, "oob": True}, request)
    response = HttpResponse(html, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
