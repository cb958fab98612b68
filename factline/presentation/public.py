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

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import condition

from factline import axis, exports, selectors
from factline.models import Citation, Entry, Timeline

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


@dataclass(frozen=True)
class State:
    """A public address worked out once per request: what it shows, when that last changed, and a tally of it."""

    view: Shared
    changed: datetime.datetime
    tally: str


def state(request: HttpRequest, kind: str, key: str) -> State:
    """The address's State, computed on the first call of a request and remembered for the others."""
    cache: dict[tuple[str, str], State] = request.__dict__.setdefault("_public_state", {})
    if (kind, key) not in cache:
        view = shared(kind, key)
        changed: datetime.datetime | None
        if view.as_of:
            changed, tally = view.as_of, "frozen"
        else:
            changed, tally = selectors.published_change(view.timeline)
        cache[kind, key] = State(view, changed or view.timeline.created, tally)
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
    parts += [str(found.changed), found.tally]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:40]


def _last_modified(request: HttpRequest, kind: str, key: str, **rest: Any) -> datetime.datetime | None:
    return state(request, kind, key).changed


def public_response(response: HttpResponse, view: Shared) -> HttpResponse:
    """Revalidate on every visit (a revoked link must answer 410 at once); keep unlisted links out of search."""
    patch_cache_control(response, no_cache=True)
    if not view.indexable:
        response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def conditional(view_func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer 304 when nothing changed, and give the 304 the caching and robots headers of the 200."""
    # `condition` answers a 304 without calling the view, so the headers are added out here.
    checked = condition(etag_func=_etag, last_modified_func=_last_modified)(view_func)

    @functools.wraps(view_func)
    def view(request: HttpRequest, kind: str, key: str, **rest: Any) -> HttpResponse:
        response = checked(request, kind=kind, key=key, **rest)
        return public_response(response, state(request, kind, key).view)

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
