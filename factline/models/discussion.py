"""An entry's discussion among its timeline's members: comments, one level of replies, and @mentions.

Never public: no public page, snapshot or export reads these tables.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from factline.models.timelines import Entry

# A few paragraphs of argument about a source; long enough to quote one, short enough to render fast.
COMMENT_MAX = 5000


class Comment(models.Model):
    """A member's comment on an entry; a reply names the thread's first comment as its `parent`."""

    entry = models.ForeignKey(Entry, verbose_name="entry", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="author", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", verbose_name="reply to", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField("comment", validators=[MaxLengthValidator(COMMENT_MAX)], help_text="Markdown.")
    created = models.DateTimeField("written", auto_now_add=True)
    edited = models.DateTimeField("last edited", null=True, blank=True)
    # Deleting keeps the row (a thread's replies stay in place) and drops the words.
    deleted = models.DateTimeField("deleted", null=True, blank=True)
    resolved = models.DateTimeField("resolved", null=True, blank=True, help_text="Only on a thread's first comment.")
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="resolved by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["created", "id"]
        indexes = [models.Index(fields=["entry", "created"], name="comment_entry_created")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on entry {self.entry_id}"

    def get_absolute_url(self) -> str:
        entry = self.entry
        return reverse("entry-discussion", args=[entry.timeline.slug, entry.pk]) + f"#comment-{self.pk}"


class Mention(models.Model):
    """A member named with @username in a comment, so that it shows on their dashboard."""

    comment = models.ForeignKey(Comment, verbose_name="comment", on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="mentioned", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="mention_once")]
        indexes = [models.Index(fields=["user", "-id"], name="mention_user_newest")]

    def __str__(self) -> str:
        return f"{self.user_id} in comment {self.comment_id}"
