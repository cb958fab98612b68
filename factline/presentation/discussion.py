"""An entry's discussion as its page shows it: threads of comments, each rendered with its mentions linked."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from factline import markdown
from factline.discussion import link_mentions
from factline.forms import CommentForm
from factline.models import Comment, Timeline


@dataclass(frozen=True)
class ShownComment:
    """A comment, its words as sanitised HTML, and whether the reader may change it."""

    comment: Comment
    html: SafeString
    mine: bool
    may_delete: bool


@dataclass(frozen=True)
class Thread:
    """A first comment and its replies, oldest first."""

    head: ShownComment
    replies: list[ShownComment]
    reply_form: CommentForm | None  # None for those who may not write

    @property
    def resolved(self) -> bool:
        return self.head.comment.resolved is not None


def threads(timeline: Timeline, comments: list[Comment], reader_id: int) -> list[Thread]:
    """`comments` (one entry's, oldest first, mentions prefetched) as threads, for the person `timeline`
    was fetched for."""
    members_page = reverse("member-list", args=[timeline.slug])

    def shown(comment: Comment) -> ShownComment:
        mentioned = {mention.user.get_username() for mention in comment.mentions.all()}
        text = link_mentions(comment.body, mentioned, lambda name: members_page) if mentioned else comment.body
        mine = comment.author_id == reader_id
        return ShownComment(
            comment=comment,
            html=mark_safe(markdown.render(text)),  # sanitised by markdown.render (nh3)
            mine=mine and timeline.can_edit,
            may_delete=(mine and timeline.can_edit) or timeline.can_manage,
        )

    heads: dict[int, Thread] = {}
    for comment in comments:
        if comment.parent_id is None:
            form = None
            if timeline.can_edit:
                form = CommentForm(initial={"parent": comment.pk}, auto_id=f"reply-{comment.pk}-%s")
            heads[comment.pk] = Thread(shown(comment), [], form)
        elif comment.parent_id in heads:
            heads[comment.parent_id].replies.append(shown(comment))
    # A deleted first comment with no replies left to keep it has nothing to show.
    return [
        thread
        for thread in heads.values()
        if thread.head.comment.deleted is None or any(r.comment.deleted is None for r in thread.replies)
    ]
