"""Writing an entry's discussion: comments, replies, edits, deletions, resolving threads, and mentions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone

from factline.discussion import names_in
from factline.models import Comment, Entry, Membership, Mention, Timeline, Watch
from factline.models.timelines import Role
from factline.services.base import PermissionDenied, User, one_change, require_role

# Who may write in a discussion: those who may change the entry. Viewers read it.
COMMENTERS = Role.EDITOR


def _clean_body(body: str) -> str:
    body = body.strip()
    comment = Comment(body=body)
    comment.full_clean(exclude=["entry", "author", "parent"])  # the length cap and "not blank"
    return body


def _mention(comment: Comment, timeline_id: int) -> None:
    """Record who of the timeline's members `comment` names (its author aside); drop names no longer there."""
    names = names_in(comment.body)
    members = set(
        Membership.objects.filter(timeline_id=timeline_id, user__username__in=names)
        .exclude(user=comment.author)
        .values_list("user_id", flat=True)
    )
    had = set(comment.mentions.values_list("user_id", flat=True)) if comment.pk else set()
    Mention.objects.filter(comment=comment, user_id__in=had - members).delete()
    Mention.objects.bulk_create(
        [Mention(comment=comment, user_id=user_id) for user_id in members - had], ignore_conflicts=True
    )


@one_change
def comment_create(*, actor: User, entry: Entry, body: str, parent: Comment | None = None) -> Comment:
    """Add `actor`'s comment to `entry`'s discussion, or a reply to the thread `parent` begins."""
    require_role(actor, entry.timeline, COMMENTERS)
    if parent is not None:
        if parent.entry_id != entry.pk:
            raise ValidationError({"parent": "That comment is not in this discussion."}, code="unknown")
        parent = parent if parent.parent_id is None else parent.parent  # one level: a reply to a reply joins the thread
    comment = Comment.objects.create(entry=entry, author=actor, parent=parent, body=_clean_body(body))
    _mention(comment, entry.timeline_id)
    if parent is not None and parent.resolved is not None:
        # Replying reopens: someone has more to say.
        Comment.objects.filter(pk=parent.pk).update(resolved=None, resolved_by=None)
    return comment


def _own(actor: User, comment: Comment) -> None:
    require_role(actor, comment.entry.timeline, COMMENTERS)
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only its author may change a comment.")
    if comment.deleted is not None:
        raise ValidationError("This comment was deleted.", code="deleted")


@one_change
def comment_update(*, actor: User, comment: Comment, body: str) -> Comment:
    """Change the words of `actor`'s own comment; its mentions follow."""
    _own(actor, comment)
    comment.body = _clean_body(body)
    comment.edited = timezone.now()
    comment.save(update_fields=["body", "edited"])
    _mention(comment, comment.entry.timeline_id)
    return comment


@one_change
def comment_delete(*, actor: User, comment: Comment) -> Comment:
    """Delete `actor`'s own comment (owners may delete any): its words go, its place in the thread stays."""
    if comment.author_id != actor.pk:
        require_role(actor, comment.entry.timeline, Role.OWNER)
    else:
        _own(actor, comment)
    comment.body = ""
    comment.deleted = timezone.now()
    comment.save(update_fields=["body", "deleted"])
    Mention.objects.filter(comment=comment).delete()
    return comment


@one_change
def comment_resolve(*, actor: User, comment: Comment, resolved: bool) -> Comment:
    """Mark the thread `comment` begins resolved, or reopen it."""
    require_role(actor, comment.entry.timeline, COMMENTERS)
    if comment.parent_id is not None:
        raise ValidationError("Only a whole thread is resolved.", code="reply")
    comment.resolved = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved", "resolved_by"])
    return comment


def timeline_opened(*, actor: User, timeline_id: int) -> None:
    """Remember that `actor` opened the timeline now: one upsert, on every load of the editor page."""
    Watch.objects.bulk_create(
        [Watch(user=actor, timeline_id=timeline_id, last_opened=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "timeline"],
        update_fields=["last_opened"],
    )


@one_change
def timeline_watch(*, actor: User, timeline_id: int, watching: bool) -> None:
    """Start or stop watching a timeline one is a member of."""
    require_role(actor, Timeline(pk=timeline_id), Role.VIEWER)
    Watch.objects.update_or_create(user=actor, timeline_id=timeline_id, defaults={"watching": watching})
