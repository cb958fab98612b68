"""Read-only public pages of a shared timeline.

A timeline is public at three kinds of address: its public link (/p/<token>/), its public
listing (/public/<slug>/) and its snapshots (/s/<token>/, frozen as of a moment). Each shows
published entries only, answers 404 as soon as it is revoked, and 304 when nothing changed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import condition, require_safe

from factline import exports, selectors
from factline.models import Citation, Entry, Timeline

# Bump when the public templates change, so browsers holding an old page fetch the new one.
PAGE_VERSION = "1"
LIST_PAGE_SIZE = 50
ROUTES = {"link": "public", "listed": "listed", "snapshot": "snapshot"}
# The downloads, by the name in their URL: (label, content type, file name ending).
FORMATS = {
    "json": ("JSON", "application/json", "json"),
    "csv": ("CSV", "text/csv; charset=utf-8", "csv"),
    "timelinejs": ("TimelineJS", "application/json", "timelinejs.json"),
    "md": ("Markdown", "text/markdown; charset=utf-8", "md"),
}


@dataclass(frozen=True)
class Shared:
    """One public address of a timeline: which timeline, as of when, and how to link inside it."""

    kind: str
    key: str
    timeline: Timeline
    as_of: datetime.datetime | None = None

    def entries(self) -> list[Entry]:
        if self.as_of is not None:
            return selectors.published_entries_as_of(self.timeline, self.as_of)
        return selectors.published_entries(self.timeline)

    def citations_of(self, passage_id: int) -> list[Citation]:
        """This address's citations of one passage, each with its entry; none if it cites it nowhere."""
        if self.as_of is None:
            return selectors.published_citations_of(self.timeline, passage_id)
        found = []
        for entry in self.entries():
            for citation in entry.citations.all():
                if citation.passage_id == passage_id:
                    citation.entry = entry
                    found.append(citation)
        return found

    def url(self, name: str, *args) -> str:
        return reverse(f"{ROUTES[self.kind]}-{name}", args=[self.key, *args])

    def canonical(self) -> str:
        """The address to name as this page's own: a listed timeline's link page names the listing."""
        if self.kind == "link" and self.timeline.listed:
            return reverse("listed-timeline", args=[self.timeline.slug])
        return self.url("timeline")

    @property
    def indexable(self) -> bool:
        # Only a listed timeline is meant to be found; a link is for the people it was given to.
        return self.kind == "listed"


def shared(kind: str, key: str) -> Shared:
    """What the public address `kind`/`key` shows; 404 when it is revoked or never existed."""
    if kind == "snapshot":
        snapshot = selectors.shared_snapshot(key)
        try:  # the title and description as they stood too
            timeline = snapshot.timeline.history.as_of(snapshot.as_of)
        except Timeline.DoesNotExist:
            timeline = snapshot.timeline
        return Shared(kind, key, timeline, snapshot.as_of)
    timeline = selectors.shared_timeline(key) if kind == "link" else selectors.listed_timeline(key)
    return Shared(kind, key, timeline)


def state(request: HttpRequest, kind: str, key: str) -> tuple[Shared, datetime.datetime | None, str]:
    """The address, when what it shows last changed and a tally of it, worked out once per request."""
    cache = request.__dict__.setdefault("_public_state", {})
    if (kind, key) not in cache:
        view = shared(kind, key)
        if view.as_of:
            changed, tally = view.as_of, "frozen"
        else:
            changed, tally = selectors.published_change(view.timeline)
        cache[kind, key] = (view, changed or view.timeline.created, tally)
    return cache[kind, key]


def _came_from(request: HttpRequest) -> int | None:
    """The footnote number a passage page was opened from (`?from=3`), to go back to it."""
    value = request.GET.get("from", "")
    return int(value) if value.isdecimal() and 0 < int(value) < 1_000_000 else None


def _etag(request: HttpRequest, kind: str, key: str, **rest) -> str:
    _view, changed, tally = state(request, kind, key)
    rest["from"] = _came_from(request)  # the back link differs
    parts = [PAGE_VERSION, kind, key, *(f"{name}={value}" for name, value in sorted(rest.items()))]
    parts += [str(changed), tally]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _last_modified(request: HttpRequest, kind: str, key: str, **rest) -> datetime.datetime | None:
    return state(request, kind, key)[1]


def public_response(response: HttpResponse, view: Shared) -> HttpResponse:
    """Revalidate on every visit (a revoked link must 404 at once); keep unlisted links out of search."""
    patch_cache_control(response, no_cache=True)
    if not view.indexable:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def conditional(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 304 when nothing changed, and give the 304 the caching and robots headers of the 200."""
    # `condition` answers a 304 without calling the view, so the headers are added out here.
    checked = condition(etag_func=_etag, last_modified_func=_last_modified)(view_func)

    @functools.wraps(view_func)
    def view(request: HttpRequest, kind: str, key: str, **rest) -> HttpResponse:
        response = checked(request, kind=kind, key=key, **rest)
        return public_response(response, state(request, kind, key)[0])

    return view


def _footnotes(request: HttpRequest, entries: list[Entry], view: Shared) -> None:
    """Number every citation of the page in order, as footnotes, each with its link to the passage in context.

    The link says which footnote it left from, so the passage page leads back to it; print shows
    the passage's address without that.
    """
    number, urls = 0, {}
    for entry in entries:
        for citation in entry.citations.all():
            number += 1
            citation.number = number
            if citation.passage_id not in urls:
                path = view.url("passage", citation.passage_id)
                urls[citation.passage_id] = (path, request.build_absolute_uri(path))
            path, citation.context_address = urls[citation.passage_id]
            citation.context_url = f"{path}?from={number}"
            citation.full_stop = exports.full_stop(exports.source_line(citation.passage.source))


_JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _json_ld(data: dict) -> SafeString:
    # Escaped like json_script, so no text can close the <script type="application/ld+json"> block.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_LD_ESCAPES))


@require_safe
@conditional
def timeline_page(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    view, changed, _tally = state(request, kind, key)
    entries = view.entries()
    _footnotes(request, entries, view)
    # Shares and search engines are pointed at the address meant to be found.
    canonical = request.build_absolute_uri(view.canonical())
    context = {
        "view": view,
        "timeline": view.timeline,
        "entries": entries,
        "changed": changed,
        "canonical": canonical,
        "url": request.build_absolute_uri(view.url("timeline")),
        "downloads": [(label, view.url("export", fmt)) for fmt, (label, _type, _end) in FORMATS.items()],
        "json_ld": _json_ld(exports.timeline_json_ld(view.timeline, entries, url=canonical, modified=changed)),
    }
    return render(request, "public/timeline_detail.html", context)


def _highlighted(text: str, ranges: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (part, cited) pieces, the cited ranges merged where they overlap."""
    parts, at = [], 0
    for start, end in sorted(ranges):
        start = max(start, at)
        if end <= start:
            continue
        parts += [(text[at:start], False), (text[start:end], True)]
        at = end
    parts.append((text[at:], False))
    return [(part, cited) for part, cited in parts if part]


@require_safe
@conditional
def passage_page(request: HttpRequest, kind: str, key: str, pk: int) -> HttpResponse:
    """A cited passage among its neighbours, only where a published entry of this address cites it."""
    view = state(request, kind, key)[0]
    citations = view.citations_of(pk)
    if not citations:
        raise Http404("This timeline cites no such passage.")
    passage = citations[0].passage
    came_from = _came_from(request)
    context = {
        "view": view,
        "timeline": view.timeline,
        "source": passage.source,
        "passage": passage,
        "neighbours": selectors.passage_neighbours(passage),
        "url": request.build_absolute_uri(view.url("passage", pk)),
        "timeline_url": view.url("timeline"),
        "timeline_address": request.build_absolute_uri(view.url("timeline")),
        "back": view.url("timeline") + (f"#fn-{came_from}" if came_from else f"#entry-{citations[0].entry.pk}"),
        "parts": _highlighted(passage.text, [(c.start, c.end) for c in citations]),
        "citations": citations,
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
