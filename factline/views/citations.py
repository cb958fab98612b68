"""Changing a citation in place: its stance, its quote within the same passage, the editors' note on it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from factline import selectors, services
from factline.forms import CitationEditForm
from factline.http import AuthenticatedRequest
from factline.models import Citation
from factline.models.timelines import Role


@require_http_methods(["GET", "POST"])
@login_required
def citation_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    citation = get_object_or_404(
        Citation.objects.select_related("entry", "passage__source").defer("passage__source__text"),
        pk=pk,
        entry__timeline=timeline,
    )
    initial = {"stance": citation.stance, "quote": citation.quote, "note": citation.note}
    form = CitationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The same words keep their place; other words are looked for from the start of the passage.
        start = citation.start if data["quote"].strip() == citation.quote.strip() else None
        try:
            services.citation_update(citation=citation, actor=request.user, start=start, **data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, f"Changed the citation of {citation.passage.source.title} ¶{citation.passage.number}."
            )
            return redirect(f"{timeline.get_absolute_url()}#entry-{citation.entry_id}")
    context = {"timeline": timeline, "entry": citation.entry, "citation": citation, "form": form}
    return render(request, "entries/citation_edit.html", context, status=422 if form.errors else 200)
