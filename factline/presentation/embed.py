"""A shared timeline on other sites: the embed's size, the <iframe> to paste, the oEmbed address, the card's line."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from factline import axis, selectors
from factline.models import Entry, Timeline
from factline.presentation.public import Shared

EMBED_WIDTH = 720  # pixels: the public page's reading width


def embed_height(found: axis.Axis | None) -> int:
    """A frame height that shows the title, the whole axis with its key, and the first entries."""
    return min(max(250 + (found.height if found else 0) + 260, 480), 900)


def iframe(src: str, title: str, width: int, height: int) -> SafeString:
    """The frame oEmbed answers with: lazy, and named for screen readers."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy"></iframe>',
        src,
        width,
        height,
        f"{title} (a timeline on Factline)",
    )


def share_snippet(request: HttpRequest, timeline: Timeline) -> str:
    """The <iframe> the Share page offers to copy while the public link is on: as tall as the embed needs."""
    if not timeline.public_token:
        return ""
    height = embed_height(axis.build(selectors.published_entries(timeline)))
    src = request.build_absolute_uri(reverse("public-embed", args=[timeline.public_token]))
    # Full width up to the public page's reading width on the host page; its own styles are its own.
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" style="width:100%;max-width:{}px;border:0">'
        "</iframe>",
        src,
        EMBED_WIDTH,
        height,
        f"{timeline.title} (a timeline on Factline)",
        EMBED_WIDTH,
    )


def oembed_link(request: HttpRequest, view: Shared) -> str:
    """The address of the oEmbed answer for `view`'s page, for its discovery <link>."""
    page = request.build_absolute_uri(view.url("timeline"))
    return request.build_absolute_uri(reverse("oembed-detail")) + "?" + urlencode({"url": page, "format": "json"})


def card_summary(entries: list[Entry]) -> str:
    """The card's line of facts: how many entries, which years, how many disputed."""
    count = len(entries)
    parts = [f"{count} published entr{'y' if count == 1 else 'ies'}"]
    if entries:
        first = min(entry.start.year for entry in entries)
        last = max((entry.end or entry.start).year for entry in entries)
        parts.append(str(first) if first == last else f"{first}–{last}")
    disputed = sum(entry.disputed for entry in entries)
    if disputed:
        parts.append(f"{disputed} disputed")
    return " · ".join(parts)
