"""Read-only public pages of a shared timeline: the timeline, a cited passage in context, and the public list.

What each address shows and how it answers conditional requests is factline/presentation/public.py.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from factline import exports, selectors
from factline.models import Timeline
from factline.presentation.downloads import FORMATS
from factline.presentation.public import came_from, conditional, highlighted, json_ld, state, with_footnotes

LIST_PAGE_SIZE = 50


@require_safe
@conditional
def timeline_page(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    found = state(request, kind, key)
    view = found.view
    entries = view.entries()
    # Shares and search engines are pointed at the address meant to be found.
    canonical = request.build_absolute_uri(view.canonical())
    context = {
        "view": view,
        "timeline": view.timeline,
        "entries": entries,
        "public_entries": with_footnotes(request, entries, view),
        "changed": found.changed,
        "canonical": canonical,
        "url": request.build_absolute_uri(view.url("timeline")),
        "downloads": [(label, view.url("export", fmt)) for fmt, (label, _type, _end) in FORMATS.items()],
        "json_ld": json_ld(exports.timeline_json_ld(view.timeline, entries, url=canonical, modified=found.changed)),
    }
    return render(request, "public/timeline_detail.html", context)


@require_safe
@conditional
def passage_page(request: HttpRequest, kind: str, key: str, pk: int) -> HttpResponse:
    """A cited passage among its neighbours, only where a published entry of this address cites it."""
    view = state(request, kind, key).view
    citations = view.citations_of(pk)
    if not citations:
        raise Http404("This timeline cites no such passage.")
    passage = citations[0].passage
    footnote = came_from(request)
    context = {
        "view": view,
        "timeline": view.timeline,
        "source": passage.source,
        "passage": passage,
        "neighbours": selectors.passage_neighbours(passage),
        "url": request.build_absolute_uri(view.url("passage", pk)),
        "timeline_url": view.url("timeline"),
        "timeline_address": request.build_absolute_uri(view.url("timeline")),
        "back": view.url("timeline") + (f"#fn-{footnote}" if footnote else f"#entry-{citations[0].entry.pk}"),
        "parts": highlighted(passage.text, [(c.start, c.end) for c in citations]),
        "citations": citations,
        # This timeline's rating of the source (as it stood then, on a snapshot).
        "rating": getattr(citations[0], "rating", None),
        "rating_reason": getattr(citations[0], "rating_reason", ""),
    }
    return render(request, "public/passage_detail.html", context)


@require_safe
def timeline_list(request: HttpRequest) -> HttpResponse:
    """The timelines their owners listed publicly, a page at a time (a newsroom may list thousands)."""
    timelines = Timeline.objects.filter(listed=True).only("slug", "title", "description").order_by("title", "id")
    page = Paginator(timelines, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    response = render(request, "public/timeline_list.html", {"page": page})
    patch_cache_control(response, no_cache=True)
    return response
