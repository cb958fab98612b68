"""One-time form tokens: what a creating form's first sending made, so a repeat answers with it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class FormToken(models.Model):
    """A creating form's one-time token as it was used: by whom, for what, and what it made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="sent by", on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField("token", max_length=64, help_text="The random value rendered in the form.")
    kind = models.CharField("form", max_length=40, help_text="Which form it was sent with, e.g. entry-create.")
    object_id = models.PositiveBigIntegerField("made", null=True, blank=True, help_text="The id of what it made.")
    created = models.DateTimeField("sent", auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.token} by {self.user_id}"
