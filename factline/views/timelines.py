from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from factline import selectors


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    timelines = selectors.timelines_for(request.user)
    return render(request, "timelines/dashboard.html", {"timelines": timelines})


@require_GET
@login_required
def timeline_detail(request: HttpRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    entries = selectors.entries_of(timeline)
    return render(request, "timelines/timeline_detail.html", {"timeline": timeline, "entries": entries})
