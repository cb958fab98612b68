"""An entry's discussion (members only): comments, replies, edits, deletions, resolving; and watching a timeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST

from factline import selectors, services
from factline.forms import CommentEditForm, CommentForm
from factline.http import AuthenticatedRequest, bad_request
from factline.models import Comment, Entry, Timeline
from factline.models.timelines import Role
from factline.presentation.discussion import threads

PAGE = "discussion/entry_discussion.html"


def _page(request: AuthenticatedRequest, timeline: Timeline, entry: Entry, form: CommentForm, status: int = 200):
    """The discussion page; for htmx only its threads and form, which it swaps in place."""
    shown = threads(timeline, selectors.discussion_of(entry), request.user.pk)
    context = {"timeline": timeline, "entry": entry, "threads": shown, "form": form}
    template = PAGE + "#discussion" if request.htmx else PAGE
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _back(request: AuthenticatedRequest, comment: Comment) -> HttpResponse:
    entry = comment.entry
    if request.htmx:
        return _page(request, entry.timeline, entry, CommentForm())
    return redirect(comment.get_absolute_url())


@require_http_methods(["GET", "POST"])
@login_required
def entry_discussion(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug)
    entry = get_object_or_404(selectors.entries_of(timeline), pk=pk)
    if request.method != "POST":
        return _page(request, timeline, entry, CommentForm())
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    entry.timeline = timeline
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        parent = Comment.objects.filter(pk=data["parent"], entry=entry).first() if data["parent"] else None
        if data["parent"] and parent is None:
            form.add_error(None, "The comment you replied to is not in this discussion.")
        else:
            try:
                sent = services.create_once(
                    actor=request.user,
                    token=data["once"],
                    kind="comment-create",
                    model=Comment,
                    create=lambda: services.comment_create(
                        actor=request.user, entry=entry, body=data["body"], parent=parent
                    ),
                )
            except ValidationError as error:
                form.add_error("body" if hasattr(error, "error_dict") and "body" in error.error_dict else None, error)
            else:
                if request.htmx:
                    return _page(request, timeline, entry, CommentForm())
                url = sent.object.get_absolute_url() if sent.object else request.path
                return redirect(url)
    return _page(request, timeline, entry, form, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def comment_edit(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    comment = selectors.comment_for(timeline, pk)
    if comment.author_id != request.user.pk or comment.deleted is not None:
        raise services.PermissionDenied("Only its author may change a comment.")
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(actor=request.user, comment=comment, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error.messages)
        else:
            return redirect(comment.get_absolute_url())
    context = {"timeline": timeline, "entry": comment.entry, "comment": comment, "form": form}
    return render(request, "discussion/comment_edit.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def comment_delete(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    comment = selectors.comment_for(timeline, pk)
    try:
        services.comment_delete(actor=request.user, comment=comment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, comment)


@require_POST
@login_required
def comment_resolve(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    timeline = selectors.timeline_for(request.user, slug, at_least=Role.EDITOR)
    comment = selectors.comment_for(timeline, pk)
    try:
        services.comment_resolve(actor=request.user, comment=comment, resolved=request.POST.get("resolved") == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, comment)


@require_POST
@login_required
def timeline_watch(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Watch a timeline or stop: a member's own setting, so viewers may too."""
    timeline = selectors.timeline_for(request.user, slug)
    if request.POST.get("watching") not in ("0", "1"):  # a crafted or truncated button; it used to stop watching
        return bad_request(request, "The button must say whether to watch the timeline (watching: 0 or 1).")
    watching = request.POST.get("watching") == "1"
    services.timeline_watch(actor=request.user, timeline_id=timeline.pk, watching=watching)
    messages.success(request, f"{'Watching' if watching else 'No longer watching'} “{timeline.title}”.")
    return redirect("dashboard")
