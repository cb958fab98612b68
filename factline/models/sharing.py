"""Snapshots: frozen public links to a timeline as it stood at a chosen moment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from factline.models.changes import ChangeMark
from factline.models.timelines import Timeline


class Snapshot(models.Model):
    """A read-only public link to a timeline's published entries exactly as they stood at `as_of`."""

    timeline = models.ForeignKey(Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="snapshots")
    token = models.CharField(
        "token", max_length=64, unique=True, editable=False, help_text="The unguessable part of the snapshot's link."
    )
    as_of = models.DateTimeField("as it stood at", help_text="Readers see the timeline as it was at this moment.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="shared by",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created = models.DateTimeField("shared", auto_now_add=True)

    history = HistoricalRecords(bases=[ChangeMark])

    class Meta:
        ordering = ["-as_of", "-id"]

    def __str__(self) -> str:
        return f"{self.timeline} as of {self.as_of:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("snapshot-timeline", args=[self.token])
