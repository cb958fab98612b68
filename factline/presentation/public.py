"""Public pages of a shared timeline: which address shows what, footnotes, metadata, conditional requests.

A timeline is public at three kinds of address: its public link (/p/<token>/), its public
listing (/public/<slug>/) and its snapshots (/s/<token>/, frozen as of a moment). Each shows
published entries only, answers 410 once revoked (factline.middleware), and 304 when nothing changed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import condition

from factline import axis, exports, selectors
from factline.models import Citation, Entry, Snapshot, Timeline

# Bump when the public templates change, so browsers holding an old page fetch the new one.
PAGE_VERSION = "3"  # 2: the time axis, card and oEmbed tags; 3: each timeline's own ratings of its sources
ROUTES = {"link": "public", "listed": "listed", "snapshot": "snapshot"}


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

    def url(self, name: str, *args: object) -> str:
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
    """What the public address `kind`/`key` shows; selectors.LinkRevoked or LinkMissing when it is not there."""
    if kind == "snapshot":
        snapshot = selectors.shared_snapshot(key)
        try:  # the title and description as they stood too
            timeline = snapshot.timeline.history.as_of(snapshot.as_of)
        except Timeline.DoesNotExist:
            timeline = snapshot.timeline
        return Shared(kind, key, timeline, snapshot.as_of)
    timeline = selectors.shared_timeline(key) if kind == "link" else selectors.listed_timeline(key)
    return Shared(kind, key, timeline)


class State:
    """A public address worked out once per request, in one query: when what it shows last changed, lazily the rest.

    A revalidation (304) and a page served from the cache read only the timeline's (or snapshot's)
    row: its public stamp says whether anything a reader sees changed (factline.services.stamps).
    """

    def __init__(self, kind: str, key: str, stamp: str, changed: datetime.datetime, load: Callable[[], Shared]):
        self.kind, self.key, self.stamp, self.changed = kind, key, stamp, changed
        self._load = load

    @functools.cached_property
    def view(self) -> Shared:
        return self._load()

    @property
    def frozen(self) -> bool:
        return self.kind == "snapshot"


def _snapshot_view(snapshot: Snapshot, key: str) -> Shared:
    try:  # the title and description as they stood too
        timeline = snapshot.timeline.history.as_of(snapshot.as_of)
    except Timeline.DoesNotExist:
        timeline = snapshot.timeline
    return Shared("snapshot", key, timeline, snapshot.as_of)


def _published_at(timeline: Timeline) -> datetime.datetime:
    """When a reader last saw a change; for a timeline last changed before the stamps, worked out once and kept."""
    if timeline.published_at is not None:
        return timeline.published_at
    changed = selectors.published_change(timeline)[0] or timeline.created
    Timeline.objects.filter(pk=timeline.pk, published_at__isnull=True).update(published_at=changed)
    return changed


def state(request: HttpRequest, kind: str, key: str) -> State:
    """The address's State, computed on the first call of a request and remembered for the others."""
    cache: dict[tuple[str, str], State] = request.__dict__.setdefault("_public_state", {})
    if (kind, key) not in cache:
        if kind == "snapshot":
            snapshot = selectors.shared_snapshot(key)
            found = State(kind, key, "frozen", snapshot.as_of, lambda: _snapshot_view(snapshot, key))
        else:
            timeline = selectors.shared_timeline(key) if kind == "link" else selectors.listed_timeline(key)
            changed = _published_at(timeline)
            shared_view = Shared(kind, key, timeline)
            found = State(kind, key, f"{timeline.pk}.{timeline.published_stamp}", changed, lambda: shared_view)
        cache[kind, key] = found
    return cache[kind, key]


def came_from(request: HttpRequest) -> int | None:
    """The footnote number a passage page was opened from (`?from=3`), to go back to it."""
    value = request.GET.get("from", "")
    return int(value) if value.isdecimal() and 0 < int(value) < 1_000_000 else None


def _etag(request: HttpRequest, kind: str, key: str, **rest: Any) -> str:
    found = state(request, kind, key)
    rest["from"] = came_from(request)  # the back link differs
    rest["axis"] = axis.zoom_key(request.GET)  # and so does the time axis, zoomed
    parts = [PAGE_VERSION, kind, key, *(f"{name}={value}" for name, value in sorted(rest.items()))]
    parts += [found.stamp, found.changed.isoformat()]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _last_modified(request: HttpRequest, kind: str, key: str, **rest: Any) -> datetime.datetime | None:
    return state(request, kind, key).changed


def public_response(response: HttpResponse, view: Shared | State) -> HttpResponse:
    """Revalidate on every visit (a revoked link must answer 410 at once); keep unlisted links out of search.

    A snapshot never changes: browsers and shared caches may keep it a day without asking (withdrawing it
    reaches them within that day; the server answers 410 at once).
    """
    if view.kind == "snapshot":
        patch_cache_control(response, public=True, max_age=SNAPSHOT_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, no_cache=True)
    if view.kind != "listed":  # only a listed timeline is meant to be found
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# What a cached page keeps of its answer; anything that sets a cookie or varies by one is never kept.
_CACHEABLE_PARAMS = frozenset({"from", "to"})
SNAPSHOT_MAX_AGE = 24 * 3600
LIVE_SECONDS = 7 * 24 * 3600  # a page of an old stamp is never asked for again: it only waits to be evicted


def _page_key(request: HttpRequest, etag: str) -> str:
    # The ETag names the address's state and the parameters the page reads; the host and scheme go into
    # its absolute links, the path tells the page kinds of one address apart (its page, embed, exports).
    where = f"{request.scheme}://{request.get_host()}{request.path}?{request.GET.urlencode()}"
    return "factline:page:" + hashlib.sha256(f"{etag}|{where}".encode()).hexdigest()


def _cached(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the page from the cache when built for this state already; else build it and keep it."""

    @functools.wraps(view_func)
    def view(request: HttpRequest, kind: str, key: str, **rest: Any) -> HttpResponse:
        if not set(request.GET) <= _CACHEABLE_PARAMS:  # other parameters go into links: built each time
            return view_func(request, kind=kind, key=key, **rest)
        page_key = _page_key(request, _etag(request, kind, key, **rest))
        kept = django_cache.get(page_key)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            if any(
                name.lower() == "content-security-policy" and "frame-ancestors *" in value for name, value in headers
            ):
                response.xframe_options_exempt = True  # as allow_framing said
            return response
        response = view_func(request, kind=kind, key=key, **rest)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not response.has_header("Vary")
        ):
            headers = list(response.items())
            timeout = None if state(request, kind, key).frozen else LIVE_SECONDS
            django_cache.set(page_key, (response.status_code, headers, response.content), timeout)
        return response

    return view


def conditional(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 304 when nothing changed, else the page built once per change (kept in the cache), with the
    caching and robots headers on both."""
    # `condition` answers a 304 without calling the view, so the headers are added out here.
    checked = condition(etag_func=_etag, last_modified_func=_last_modified)(_cached(view_func))

    @functools.wraps(view_func)
    def view(request: HttpRequest, kind: str, key: str, **rest: Any) -> HttpResponse:
        response = checked(request, kind=kind, key=key, **rest)
        return public_response(response, state(request, kind, key))

    return view


@dataclass(frozen=True)
class Footnote:
    """One citation of a public page as a numbered footnote, with its link to the passage in context."""

    number: int
    citation: Citation
    context_url: str  # says which footnote it left from, so the passage page leads back to it
    context_address: str  # the passage's absolute address, which print shows
    full_stop: str  # "" when the source line ends with its own full stop


@dataclass(frozen=True)
class PublicEntry:
    """A published entry as a public page shows it: the entry and its citations as footnotes."""

    entry: Entry
    footnotes: list[Footnote]


def with_footnotes(request: HttpRequest, entries: list[Entry], view: Shared) -> list[PublicEntry]:
    """`entries` with every citation of the page numbered in order, as footnotes."""
    number, urls = 0, {}
    shown = []
    for entry in entries:
        footnotes = []
        for citation in entry.citations.all():
            number += 1
            if citation.passage_id not in urls:
                path = view.url("passage", citation.passage_id)
                urls[citation.passage_id] = (path, request.build_absolute_uri(path))
            path, address = urls[citation.passage_id]
            full_stop = exports.full_stop(exports.source_line(citation.passage.source))
            footnotes.append(Footnote(number, citation, f"{path}?from={number}", address, full_stop))
        shown.append(PublicEntry(entry, footnotes))
    return shown


_JSON_LD_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict[str, Any]) -> SafeString:
    """`data` as the text of a <script type="application/ld+json"> block."""
    # Escaped like json_script, so no text can close the block.
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_LD_ESCAPES))


def highlighted(text: str, ranges: list[tuple[int, int]]) -> list[tuple[str, bool]]:
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
