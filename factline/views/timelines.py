"""The dashboard, the editor page of a timeline, and its members."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from factline import selectors, services
from factline.account_forms import InviteForm
from factline.forms import ChangesForm, EntryForm, FilterForm, MemberForm, RoleForm, TimelineForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Membership, Timeline
from factline.models.timelines import Role
from factline.presentation.members import members_page

EDITOR = "timelines/timeline_detail.html"


@require_http_methods(["GET", "POST"])
@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    form = TimelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in TimelineForm.Meta.fields}
        sent = services.create_once(
            actor=request.user,
            token=form.cleaned_data["once"],
            kind="timeline-create",
            model=Timeline,
            create=lambda: services.timeline_create(actor=request.user, **fields),
        )
        if sent.object is None:
            messages.info(request, "This form was already sent; the timeline it made has been deleted since.")
            return redirect("dashboard")
        if not sent.repeat:
            messages.success(request, f"Created “{sent.object.title}”. Add its first entry below.")
        return redirect(sent.object)
    context = {
        "timelines": selectors.dashboard_timelines(request.user),
        "mentions": selectors.mentions_of(request.user),
        "form": form,
        "invitations": selectors.invitations_for(request.user),
    }
    return render(request, "timelines/dashboard.html", context, status=422 if form.errors else 200)


@require_safe
@login_required
def timeline_detail(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    if not request.htmx:
        services.timeline_opened(actor=request.user, timeline_id=timeline.pk)  # "since I looked" counts from here
    filters = FilterForm(request.GET, auto_id="filter_%s")  # the add-entry form has a Status too
    found = selectors.filter_entries(selectors.entries_of(timeline), **filters.entry_filters())
    pages = selectors.year_pages(found, filters.chosen_year())
    entries = list(pages.of(found))
    context = {
        "timeline": timeline,
        "entries": entries,
        "filters": filters,
        "filtered": any(filters.data.get(name) for name in filters.fields if name != "year"),
        "pages": pages,
        "form": EntryForm(timeline=timeline),
        "opened": timezone.now().isoformat(),
    }
    template = EDITOR + "#entry-list" if request.htmx and request.htmx.target == "entry-list" else EDITOR
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_safe
@login_required
def timeline_changes(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Polled by the editor page: who changed what since the page was opened."""
    timeline = selectors.timeline_for(request.user, slug)
    asked = ChangesForm(request.GET)
    if not asked.is_valid():
        return bad_request(
            request, "The moment to look from (since) was refused: " + " ".join(map(str, asked.errors["since"]))
        )
    since = asked.cleaned_data["since"]
    changes = selectors.changes_since(timeline, since, excluding=request.user)
    context = {"timeline": timeline, "changes": changes[:5], "more": max(len(changes) - 5, 0), "since": since}
    context["newest"] = changes[0].at if changes else since
    # Refreshing keeps the filters the page was opened with.
    page = urlsplit(request.htmx.current_url or "") if request.htmx else None
    refresh = timeline.get_absolute_url()
    context["refresh_url"] = f"{refresh}?{page.query}" if page and page.path == refresh and page.query else refresh
    return render(request, "timelines/changes.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def member_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    form = MemberForm(request.POST or None)
    if request.method == "POST":
        timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.create_once(
                    actor=request.user,
                    token=data["once"],
                    kind="member-add",
                    model=Membership,
                    create=lambda: services.membership_add(
                        timeline=timeline, actor=request.user, username=data["username"], role=data["role"]
                    ),
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, f"{form.cleaned_data['username']} is now a member.")
                return redirect("member-list", slug=slug)
    context = members_page(timeline, form=form, invite_form=InviteForm())
    return render(request, "timelines/member_list.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def member_update(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.OWNER)
    membership = get_object_or_404(Membership.objects.select_related("user"), pk=pk, timeline=timeline)
    form = RoleForm(request.POST)
    try:
        if request.POST.get("remove"):
            services.membership_remove(membership=membership, actor=request.user)
            messages.success(request, f"Removed {membership.user.get_username()}.")
        elif form.is_valid():
            username = membership.user.get_username()
            services.membership_set(timeline=timeline, actor=request.user, username=username, **form.cleaned_data)
            messages.success(request, f"{username} is now {form.cleaned_data['role']}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("member-list", slug=slug)
