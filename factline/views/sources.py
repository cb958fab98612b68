from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from factline import selectors
from factline.models import Source


@require_GET
@login_required
def source_list(request: HttpRequest) -> HttpResponse:
    return render(request, "sources/source_list.html", {"sources": Source.objects.order_by("title")})


@require_GET
@login_required
def source_detail(request: HttpRequest, pk: int) -> HttpResponse:
    source = selectors.source_for(request.user, pk)
    passages = selectors.source_reading(request.user, source)
    return render(request, "sources/source_detail.html", {"source": source, "passages": passages})
