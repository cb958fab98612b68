"""Whether a member watches a timeline, and when they last opened it: what "since I looked" counts from."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from factline.models.timelines import Timeline


class Watch(models.Model):
    """One member's watching of one timeline. No row yet means watching, never opened."""

    timeline = models.ForeignKey(Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="member", on_delete=models.CASCADE, related_name="+"
    )
    watching = models.BooleanField("watching", default=True)
    last_opened = models.DateTimeField("last opened", null=True, blank=True)

    class Meta:
        ordering = ["timeline_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "timeline"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.timeline_id}"
