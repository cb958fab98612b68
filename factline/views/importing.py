"""Adding a source in the browser: paste, upload or address, then a preview, then save.

Each way reads through factline.ingest (the path `import_source` takes too); what was read is
held server-side under an unguessable key (services.source_stage) until the editor saves it.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_http_methods, require_safe

from factline import dates, ingest, selectors, services
from factline.forms import AddressForm, PasteForm, SourceForm, UploadForm
from factline.http import AuthenticatedRequest
from factline.ingest import ImportRefused, Prepared
from factline.ingest.extract import HTML, PDF
from factline.models import Entry, Source, SourceOriginal
from factline.services.sources import prepared_from

WAYS = {"paste": (PasteForm, "text"), "upload": (UploadForm, "file"), "address": (AddressForm, "url")}


def _editor_only(request: AuthenticatedRequest) -> None:
    if not services.may_edit_sources(request.user):
        raise PermissionDenied("Only editors of a timeline add sources.")


def _with_entry(url: str, entry: Entry | None) -> str:
    return f"{url}?entry={entry.pk}" if entry is not None else url


def _read(way: str, form: forms.Form) -> Prepared:
    data = form.cleaned_data
    if way == "paste":
        return ingest.read_pasted(data["title"], data["text"])
    if way == "upload":
        upload = data["file"]
        name = upload.name
        try:
            return ingest.read(upload.read(), filename=name, content_type=upload.content_type or "")
        except ImportRefused as refusal:
            raise refusal.named(name) from None
    return ingest.read_address(data["url"])


def _refuse(form: forms.BaseForm, field: str | None, refusal: ImportRefused) -> Source | None:
    """Show the refusal beside `field` (the file's name first); the source it duplicates, if that was why."""
    message = str(refusal) if refusal.name else refusal.reason[:1].upper() + refusal.reason[1:]
    form.add_error(field, ValidationError(message, code=refusal.code))
    return refusal.existing


@require_http_methods(["GET", "POST"])
@login_required
def source_create(request: AuthenticatedRequest) -> HttpResponse:
    """The three ways in; a way that reads well leads to its preview, one that fails says why beside its field."""
    _editor_only(request)
    entry = selectors.editable_entry(request.user, request.GET.get("entry") or request.POST.get("entry"))
    way = request.POST.get("way", "")
    bound: dict[str, forms.Form] = {}
    duplicate = None
    if request.method == "POST" and way in WAYS:
        form_class, field = WAYS[way]
        form = bound[way] = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                prepared = _read(way, form)
                existing = ingest.find_duplicate(prepared)
                if existing is not None:
                    raise ingest.duplicate_refusal(prepared, existing)
                staged = services.source_stage(actor=request.user, prepared=prepared)
            except ImportRefused as refusal:
                duplicate = _refuse(form, field, refusal)
            else:
                return redirect(_with_entry(reverse("source-preview", args=[staged.key]), entry))
    forms_ = {name: bound.get(name) or form_class() for name, (form_class, _field) in WAYS.items()}
    context = {"forms": forms_, "entry": entry, "way": way, "duplicate": duplicate}
    return render(request, "sources/source_create.html", context, status=422 if bound else 200)


SAVE = "source-preview"  # the form kind of a preview's Save, whose one-time token is the preview's key


def _entry_of(request: AuthenticatedRequest) -> Entry | None:
    """The entry the editor came to cite for, if they may edit it."""
    return selectors.editable_entry(request.user, request.GET.get("entry") or request.POST.get("entry"))


@require_http_methods(["GET", "POST"])
@login_required
def source_preview(request: AuthenticatedRequest, key: str) -> HttpResponse:
    """The passages as they will be numbered and the details as read, to correct before saving."""
    _editor_only(request)
    staged = services.staged_for(request.user, key)
    if staged is None:
        # Saved already (a double click, the back button): the preview's key was its one-time token.
        saved = services.created_before(actor=request.user, token=key, kind=SAVE, model=Source)
        if saved is not None:
            return redirect(_with_entry(saved.get_absolute_url(), _entry_of(request)))
        raise Http404("This preview has expired or is not yours.")
    entry = _entry_of(request)
    prepared = prepared_from(staged)
    if request.method == "POST" and request.POST.get("action") == "discard":
        staged.delete()
        messages.info(request, "Discarded: nothing was saved.")
        return redirect(_with_entry(reverse("source-create"), entry))
    initial = {**prepared.metadata, "url": prepared.final_address[:500]}
    if prepared.published is not None:  # as people write dates, like the source's edit page
        initial["published"] = dates.display(prepared.published, dates.DAY)
    form = SourceForm(request.POST or None, initial={k: v for k, v in initial.items() if v})
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            sent = services.create_once(
                actor=request.user,
                token=staged.key,
                kind=SAVE,
                model=Source,
                create=lambda: services.source_create_staged(actor=request.user, staged=staged, **form.details()),
            )
        except ImportRefused as refusal:
            duplicate = _refuse(form, None, refusal)
        else:
            if sent.object is None:
                raise Http404("This preview was saved, and the source it made is gone.")
            if not sent.repeat:
                messages.success(request, f"Saved “{sent.object.title}” with {len(prepared.passages)} passages.")
            return redirect(_with_entry(sent.object.get_absolute_url(), entry))
    context = {
        "staged": staged,
        "prepared": prepared,
        "passages": prepared.passages,
        "citable": sum(not p.boilerplate for p in prepared.passages),
        "form": form,
        "entry": entry,
        "duplicate": duplicate,
    }
    return render(request, "sources/source_preview.html", context, status=422 if form.errors else 200)


@require_safe
@login_required
def source_original(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The original as received, always as a download: a page from elsewhere never runs in our origin."""
    source = selectors.source_for(request.user, pk)
    original = SourceOriginal.objects.filter(source=source).first()
    if original is None:
        raise Http404("This source was pasted in: its text is its original.")
    kind = PDF if "pdf" in original.content_type else HTML if "html" in original.content_type else "text"
    ending = {PDF: "pdf", HTML: "html"}.get(kind, "txt")
    content_type = {PDF: "application/pdf", HTML: "application/octet-stream"}.get(kind, "text/plain; charset=utf-8")
    response = HttpResponse(bytes(original.data), content_type=content_type)
    name = original.filename or f"source-{source.pk}.{ending}"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
