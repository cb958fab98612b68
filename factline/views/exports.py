"""Downloads of a timeline (JSON, CSV, TimelineJS JSON, Markdown): from its public pages and from the editor."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_safe

from factline import selectors
from factline.http import AuthenticatedRequest
from factline.models import Citation
from factline.presentation.downloads import FORMATS, build, download
from factline.presentation.public import conditional, state


@require_safe
@conditional
def public_export(request: HttpRequest, kind: str, key: str, fmt: str) -> HttpResponse:
    """A public page's published entries as a file; footnotes point at its passages in context."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    view = state(request, kind, key).view
    name = view.timeline.slug + (f"-as-of-{view.as_of:%Y-%m-%d-%H%M}" if view.as_of else "")

    def context_url(citation: Citation) -> str:
        return request.build_absolute_uri(view.url("passage", citation.passage_id))

    text = build(fmt, view.timeline, view.entries(), as_of=view.as_of, context_url=context_url)
    return download(text, fmt, name)


@require_GET
@login_required
def timeline_export(request: AuthenticatedRequest, slug: str, fmt: str) -> HttpResponse:
    """Every entry of a timeline, drafts too, for its members; links point at the editors' source pages."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    timeline = selectors.timeline_for(request.user, slug)

    def context_url(citation: Citation) -> str:
        return request.build_absolute_uri(citation.passage.get_absolute_url())

    text = build(fmt, timeline, list(selectors.entries_of(timeline)), context_url=context_url)
    return download(text, fmt, f"{timeline.slug}-all-entries")
