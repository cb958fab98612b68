"""Sources (articles as they were read) and their numbered passages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from factline import dates, limits
from factline.limits import SINGLE_LINE, length_check, text_validators
from factline.models.changes import ChangeMark, History


class Source(models.Model):
    """One article exactly as imported; its text is evidence and never changes."""

    title = models.CharField("title", max_length=limits.SOURCE_TITLE_MAX, validators=SINGLE_LINE)
    publisher = models.CharField("publisher", max_length=limits.PUBLISHER_MAX, blank=True, validators=SINGLE_LINE)
    author = models.CharField("author", max_length=limits.AUTHOR_MAX, blank=True, validators=SINGLE_LINE)
    url = models.URLField("URL", max_length=500, blank=True)
    published = models.DateField(
        "publication date", null=True, blank=True, help_text="Stored as the first day of its period."
    )
    published_precision = models.CharField(
        "publication date precision", max_length=5, choices=dates.PRECISION_CHOICES, default=dates.DAY
    )
    published_approximate = models.BooleanField("publication date approximate", default=False)
    retrieved = models.DateTimeField("retrieved", default=timezone.now)
    language = models.CharField("language", max_length=16, default="en", blank=True)
    text = models.TextField(
        "text",
        max_length=limits.SOURCE_TEXT_MAX,
        validators=text_validators(limits.SOURCE_TEXT_MAX),
        help_text="The full text exactly as imported.",
    )
    origin = models.CharField("origin", max_length=255, help_text="The file the text was imported from.")
    checksum = models.CharField(
        "checksum", max_length=64, unique=True, editable=False, help_text="SHA-256 of the bytes as received."
    )
    text_hash = models.CharField(
        "text fingerprint",
        max_length=64,
        unique=True,
        editable=False,
        help_text="SHA-256 of the text with its white space normalised: the same article is never imported twice.",
    )
    replaces = models.ForeignKey(
        "self",
        verbose_name="replaces",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
        help_text="The source this corrected copy replaces.",
    )
    created = models.DateTimeField("imported", auto_now_add=True)

    history = History(bases=[ChangeMark])

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            length_check("title", limits.SOURCE_TITLE_MAX, "source"),
            length_check("publisher", limits.PUBLISHER_MAX, "source"),
            length_check("author", limits.AUTHOR_MAX, "source"),
            length_check("text", limits.SOURCE_TEXT_MAX, "source"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if self.pk and Source.objects.filter(pk=self.pk).exclude(text=self.text).exists():
            raise ValidationError({"text": "A source's text never changes; import a corrected copy instead."})
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("source-detail", args=[self.pk])

    @property
    def published_date(self) -> dates.PartialDate | None:
        """The publication date as far as it is known (a year, a month or a day, maybe approximate)."""
        if self.published is None:
            return None
        return dates.PartialDate(self.published, self.published_precision or dates.DAY, self.published_approximate)

    @property
    def published_display(self) -> str:
        date = self.published_date
        return date.display() if date else ""

    @property
    def published_iso(self) -> str | None:
        date = self.published_date
        return date.iso() if date else None


class PassageKind(models.TextChoices):
    TITLE = "title", "Title"
    HEADING = "heading", "Heading"
    PARAGRAPH = "paragraph", "Paragraph"
    LIST_ITEM = "list_item", "List item"


class Passage(models.Model):
    """A numbered piece of a source's text (paragraph, heading or list item) and its offsets."""

    source = models.ForeignKey(Source, verbose_name="source", on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveIntegerField("number", help_text="Position in the source, from 1.")
    start = models.PositiveIntegerField("start offset")
    end = models.PositiveIntegerField("end offset")
    text = models.TextField("text")
    kind = models.CharField("kind", max_length=16, choices=PassageKind.choices, default=PassageKind.PARAGRAPH)
    boilerplate = models.BooleanField(
        "boilerplate", default=False, help_text="Ads, footers and other noise: stored, never citable."
    )
    boilerplate_reason = models.CharField("why it is boilerplate", max_length=100, blank=True)

    history = HistoricalRecords(bases=[ChangeMark])

    class Meta:
        ordering = ["source_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["source", "number"], name="passage_unique_number"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="passage_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.source} ¶{self.number}"

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#p{self.number}"

    @property
    def citable(self) -> bool:
        return not self.boilerplate


class MentionKind(models.TextChoices):
    ABSOLUTE = "absolute", "Absolute"
    PARTIAL = "partial", "Without a year"
    RELATIVE = "relative", "Relative"
    DURATION = "duration", "Duration"
    RANGE = "range", "Range"
    LIST = "list", "List"


class DateMention(models.Model):
    """A date expression found in a passage, resolved against its source's publication date.

    Derived from the passage's text and the source's date (no history): recomputed whenever the
    source's date or language changes.
    """

    passage = models.ForeignKey(Passage, verbose_name="passage", on_delete=models.CASCADE, related_name="date_mentions")
    start = models.PositiveIntegerField("start offset", help_text="Where the expression starts in the passage.")
    end = models.PositiveIntegerField("end offset")
    text = models.CharField("text", max_length=200)
    value = models.DateField("resolved date", null=True, blank=True, help_text="The first day of its period.")
    precision = models.CharField("precision", max_length=5, choices=dates.PRECISION_CHOICES, blank=True)
    approximate = models.BooleanField("approximate", default=False)
    kind = models.CharField("kind", max_length=16, choices=MentionKind.choices)
    reason = models.TextField("reasoning")

    class Meta:
        ordering = ["passage_id", "start", "id"]
        indexes = [models.Index(fields=["value"], name="mention_value")]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="mention_end_after_start"),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True, precision="")
                | models.Q(value__isnull=False, precision__in=dates.PRECISIONS),
                name="mention_precision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"“{self.text}” → {self.value_iso or 'unresolved'}"

    @property
    def value_iso(self) -> str | None:
        return dates.to_iso(self.value, self.precision) if self.value else None

    @property
    def value_display(self) -> str:
        return dates.display(self.value, self.precision, self.approximate) if self.value else ""


class SourceOriginal(models.Model):
    """A source's original as received (HTML, PDF or text bytes), kept as evidence and never served as a page."""

    source = models.OneToOneField(
        Source, verbose_name="source", on_delete=models.CASCADE, primary_key=True, related_name="original"
    )
    data = models.BinaryField("bytes as received")
    content_type = models.CharField("content type", max_length=100)
    filename = models.CharField("file name", max_length=255, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    address = models.URLField("address", max_length=2000, blank=True, help_text="The address it was fetched from.")
    final_address = models.URLField(
        "final address", max_length=2000, blank=True, help_text="Where the address led after its redirects."
    )
    fetched = models.DateTimeField("fetched", null=True, blank=True)

    class Meta:
        verbose_name = "original as received"
        verbose_name_plural = "originals as received"
        constraints = [
            # The same page fetched twice is the same source; a race cannot make two.
            models.UniqueConstraint(
                fields=["final_address"], condition=~models.Q(final_address=""), name="source_original_unique_address"
            ),
        ]

    def __str__(self) -> str:
        return f"Original of {self.source_id} ({self.content_type})"
