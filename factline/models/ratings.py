"""A timeline's judgement of a source it cites: reliable, mixed or unreliable, with the reason."""

from __future__ import annotations

from django.db import models

from factline import limits
from factline.limits import length_check, text_validators
from factline.models.changes import ChangeMark, History
from factline.models.sources import Source
from factline.models.timelines import Timeline


class Reliability(models.TextChoices):
    RELIABLE = "reliable", "Reliable"
    MIXED = "mixed", "Mixed"
    UNRELIABLE = "unreliable", "Unreliable"


class SourceRating(models.Model):
    """How one timeline's editors rate a source of the shared library; other timelines keep their own."""

    timeline = models.ForeignKey(
        Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="source_ratings"
    )
    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.CASCADE, related_name="ratings")
    reliability = models.CharField("reliability", max_length=16, choices=Reliability.choices)
    reason = models.TextField(
        "reason for the rating",
        max_length=limits.RATING_REASON_MAX,
        validators=text_validators(limits.RATING_REASON_MAX),
        blank=True,
        help_text="What a reader should know: shown beside the rating on this timeline's public pages.",
    )

    history = History(bases=[ChangeMark])

    class Meta:
        ordering = ["timeline_id", "source_id"]
        constraints = [
            models.UniqueConstraint(fields=["timeline", "source"], name="source_rating_unique_per_timeline"),
            models.CheckConstraint(
                condition=models.Q(reliability__in=Reliability.values), name="source_rating_reliability_valid"
            ),
            length_check("reason", limits.RATING_REASON_MAX, "source_rating"),
        ]

    def __str__(self) -> str:
        return f"{self.source} rated {self.get_reliability_display().lower()} on {self.timeline}"

    @property
    def sentence(self) -> str:
        """`Rated mixed: why.` as readers see it."""
        text = f"Rated {self.get_reliability_display().lower()}"
        if self.reason.strip():
            text += f": {self.reason.strip()}"
        return text if text.endswith((".", "!", "?")) else text + "."
