"""A shared timeline on other sites: the embed other pages may frame, its oEmbed answer, and the card image."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from factline import axis, cards
from factline.middleware import allow_framing
from factline.presentation.embed import EMBED_WIDTH, card_summary, embed_height, iframe
from factline.presentation.public import conditional, public_response, shared, state, with_footnotes
from factline.selectors import NotFound

# Bump when the card's drawing changes, so every card is drawn anew.
CARD_VERSION = "1"
CARD_SECONDS = 7 * 24 * 3600  # a card nobody asks for leaves the cache within a week
# The pages oEmbed answers for, by route name, and the kind of public address each is.
EMBEDDABLE = {
    "public-timeline": "link",
    "snapshot-timeline": "snapshot",
    "public-embed": "link",
    "snapshot-embed": "snapshot",
}


@require_safe
@conditional
def embed_page(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """A compact page for other sites' frames: the axis, then the entries with their sources folded."""
    found = state(request, kind, key)
    view = found.view
    entries = view.entries()
    context = {
        "view": view,
        "timeline": view.timeline,
        "entries": entries,
        "public_entries": with_footnotes(request, entries, view),
        "changed": found.changed,
        "page_url": request.build_absolute_uri(view.url("timeline")),
    }
    return allow_framing(render(request, "public/timeline_embed.html", context))


def _dimension(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdecimal() or not 0 < int(value) <= 10_000:
        raise ValueError(value[:20])
    return int(value)


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    """The oEmbed answer (JSON, type rich) for the address of a public link or a snapshot."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only the JSON format is offered.", status=501, content_type="text/plain")
    try:
        max_width = _dimension(request.GET.get("maxwidth"))
        max_height = _dimension(request.GET.get("maxheight"))
    except ValueError as error:
        message = f"maxwidth and maxheight are whole numbers of pixels, not “{error}”."
        return HttpResponse(message, status=400, content_type="text/plain")
    address = urlsplit(request.GET.get("url", "")[:2000])
    try:
        if address.scheme not in ("http", "https") or address.netloc != request.get_host():
            raise NotFound("Not an address of this site.")
        match = resolve(address.path)
        view = shared(EMBEDDABLE[match.url_name or ""], match.kwargs["key"])
    except (Resolver404, KeyError, NotFound):
        response = HttpResponse("No timeline to embed at this address.", status=404, content_type="text/plain")
        patch_cache_control(response, no_cache=True)
        return response
    width = min(EMBED_WIDTH, max_width or EMBED_WIDTH)
    height = min(embed_height(axis.build(view.entries())), max_height or 10_000)
    title = view.timeline.title + (f" (as of {view.as_of:%d %B %Y})" if view.as_of else "")
    data = {
        "version": "1.0",
        "type": "rich",
        "title": title,
        "provider_name": "Factline",
        "provider_url": request.build_absolute_uri(reverse("public-list")),
        "html": iframe(request.build_absolute_uri(view.url("embed")), title, width, height),
        "width": width,
        "height": height,
        "thumbnail_url": request.build_absolute_uri(view.url("card")),
        "thumbnail_width": cards.WIDTH,
        "thumbnail_height": cards.HEIGHT,
    }
    return public_response(JsonResponse(data, json_dumps_params={"ensure_ascii": False}), view)


def _card_etag(request: HttpRequest, kind: str, key: str) -> str:
    found = state(request, kind, key)
    return hashlib.sha256(f"{CARD_VERSION}|{kind}|{key}|{found.changed}|{found.stamp}".encode()).hexdigest()[:40]


@condition(etag_func=_card_etag)
def _card(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    view = state(request, kind, key).view
    cache_key = f"factline:card:{_card_etag(request, kind, key)}"
    png = cache.get(cache_key)
    if png is None:
        entries = view.entries()
        label = f"Snapshot as of {view.as_of:%-d %B %Y}" if view.as_of else "Public timeline"
        png = cards.render(
            title=view.timeline.title, kind=label, summary=card_summary(entries), axis=axis.build(entries)
        )
        cache.set(cache_key, png, CARD_SECONDS)
    return HttpResponse(png, content_type="image/png")


@require_safe
def card_image(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    """The page's card, drawn once per change of what the page shows (its ETag keys the cache); 304 if unchanged."""
    response = _card(request, kind=kind, key=key)
    return public_response(response, state(request, kind, key))
