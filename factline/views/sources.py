"""The library of sources, and reading one: numbered passages, who cites them, and citing from them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from factline import selectors, services
from factline.forms import SOURCE, CiteForm, SourceForm
from factline.models import Citation, Entry, Passage, Source
from factline.models.timelines import Stance

READING = "sources/source_detail.html"


@require_safe
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sources/source_list.html", {"sources": Source.objects.order_by("title")})


@require_safe
@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    # `?entry=` opens the source for citing; an entry the user may not edit is simply ignored.
    entry = selectors.editable_entry(request.user, request.GET.get("entry"))
    return reading_response(request, source, entry=entry)


@require_http_methods(["GET", "POST"])
@login_required
def source_edit(request: HttpRequest, pk: int) -> HttpResponse:
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


def _prepare(passages: list[Passage], entry: Entry | None, form: CiteForm | None) -> list[Passage]:
    """Give each citable passage its citing form (the refused one where it was refused) when citing for `entry`."""
    for passage in passages:
        passage.cited_here = entry is not None and any(c.entry_id == entry.pk for c in passage.citing)
        passage.cite_form = None
        if entry is not None and passage.citable:
            if form is not None and form.passage_id == passage.pk:
                passage.cite_form = form
            else:
                passage.cite_form = CiteForm.for_passage(passage, origin=SOURCE)
    return passages


def reading_response(
    request: HttpRequest, source: Source, *, entry: Entry | None = None, form: CiteForm | None = None, status: int = 200
) -> HttpResponse:
    """The whole reading view of `source`, citing for `entry` when given."""
    passages = _prepare(selectors.source_reading(request.user, source), entry, form)
    context = {
        "source": source,
        "passages": passages,
        "entry": entry,
        "stances": Stance.choices,
        "can_edit": services.may_edit_sources(request.user),
    }
    return render(request, READING, context, status=status)


def passage_response(
    request: HttpRequest,
    passage: Passage,
    *,
    entry: Entry,
    form: CiteForm | None = None,
    cited: Citation | None = None,
    status: int = 200,
) -> HttpResponse:
    """One passage's block for htmx: who cites it now, and its form (refused) or a confirmation (cited)."""
    found = selectors.source_reading(request.user, passage.source, only=passage.pk)
    if not found:
        raise Http404("No such passage.")
    context = {"passage": _prepare(found, entry, form)[0], "entry": entry, "cited": cited}
    response = render(request, READING + "#passage-block", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
