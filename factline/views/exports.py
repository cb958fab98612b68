"""Downloads of a timeline (JSON, CSV, TimelineJS JSON, Markdown): from its public pages and from the editor."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_safe

from factline import exports, selectors
from factline.models import Citation, Entry, Timeline
from factline.views.public import FORMATS, conditional, state


def build(
    fmt: str,
    timeline: Timeline,
    entries: list[Entry],
    *,
    as_of=None,
    context_url: Callable[[Citation], str] | None = None,
) -> str:
    """The export of `entries` in format `fmt`, as text."""
    if fmt == "json":
        data: dict[str, Any] = exports.timeline_json(timeline, entries)
        if as_of is not None:
            data["as_of"] = as_of.isoformat()
        return json.dumps(data, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return exports.timeline_csv(entries, context_url=context_url)
    if fmt == "timelinejs":
        data = exports.timeline_timelinejs(timeline, entries, as_of=as_of, context_url=context_url)
        return json.dumps(data, ensure_ascii=False, indent=2)
    return exports.timeline_markdown(timeline, entries, as_of=as_of, context_url=context_url)


def download(text: str, fmt: str, name: str) -> HttpResponse:
    """`text` as a file to save, with its content type and file name."""
    _label, content_type, ending = FORMATS[fmt]
    response = HttpResponse(text.encode("utf-8"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{name}.{ending}")
    return response


@require_safe
@conditional
def public_export(request: HttpRequest, kind: str, key: str, fmt: str) -> HttpResponse:
    """A public page's published entries as a file; footnotes point at its passages in context."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    view = state(request, kind, key)[0]
    name = view.timeline.slug + (f"-as-of-{view.as_of:%Y-%m-%d-%H%M}" if view.as_of else "")

    def context_url(citation: Citation) -> str:
        return request.build_absolute_uri(view.url("passage", citation.passage_id))

    text = build(fmt, view.timeline, view.entries(), as_of=view.as_of, context_url=context_url)
    return download(text, fmt, name)


@require_GET
@login_required
def timeline_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Every entry of a timeline, drafts too, for its members; links point at the editors' source pages."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    timeline = selectors.timeline_for(request.user, slug)

    def context_url(citation: Citation) -> str:
        return request.build_absolute_uri(citation.passage.get_absolute_url())

    text = build(fmt, timeline, list(selectors.entries_of(timeline)), context_url=context_url)
    return download(text, fmt, f"{timeline.slug}-all-entries")
