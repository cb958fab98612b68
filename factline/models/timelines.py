"""Timelines, their members, entries and the citations that anchor entries in passages."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from factline import dates, limits
from factline.limits import SINGLE_LINE, length_check, text_validators
from factline.models.changes import ChangeMark, History
from factline.models.sources import Passage

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# A timeline deleted longer ago than this is purged (purge_timelines) and can no longer be restored.
RESTORE_DAYS = 30
# An editor's note on a citation: a remark or two ("the article contradicts itself here"), not an essay.
CITATION_NOTE_MAX = 500
ARCHIVED_MESSAGE = "This timeline is archived, so it is read-only; an owner can unarchive it in its settings."

# Long enough for a few sentences of reasoning ("“on Friday” in an article of June 2023 …"), short enough to read.
DATE_NOTE_MAX = limits.DATE_NOTE_MAX


class LiveTimelines(models.Manager["Timeline"]):
    """Timelines that are not deleted: what every page, public or not, may show."""

    def get_queryset(self) -> models.QuerySet[Timeline]:
        return super().get_queryset().filter(deleted_at__isnull=True)


class Timeline(models.Model):
    """A titled, described collection of entries with members."""

    slug = models.SlugField("address", max_length=80, unique=True, help_text="Used in the timeline's URL.")
    title = models.CharField("title", max_length=limits.TITLE_MAX, validators=SINGLE_LINE)
    description = models.TextField(
        "description",
        max_length=limits.DESCRIPTION_MAX,
        validators=text_validators(limits.DESCRIPTION_MAX),
        blank=True,
    )
    created = models.DateTimeField("created", auto_now_add=True)
    updated = models.DateTimeField("last changed", auto_now=True)
    members: models.ManyToManyField[User, Membership] = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="timelines", verbose_name="members"
    )
    public_token = models.CharField(
        "public link token",
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The unguessable part of the read-only public link; empty while the link is off.",
    )
    listed = models.BooleanField(
        "listed publicly", default=False, help_text="Readable by anyone at its public address, /public/<address>/."
    )
    two_person_rule = models.BooleanField(
        "publishing needs a second editor",
        default=False,
        help_text="An editor asks for review; another editor approves (publishes) or sends it back with a note.",
    )
    archived_at = models.DateTimeField(
        "archived at", null=True, blank=True, editable=False, help_text="Read-only for everyone while set."
    )
    deleted_at = models.DateTimeField(
        "deleted at",
        null=True,
        blank=True,
        editable=False,
        help_text=f"Hidden everywhere; its owners may restore it for {RESTORE_DAYS} days.",
    )

    # Moved by factline.services.stamps, in the transaction of every change (never by saving the row).
    stamp = models.PositiveBigIntegerField(
        "change stamp", default=0, editable=False, help_text="Counts the changes any page of the timeline shows."
    )
    published_stamp = models.PositiveBigIntegerField(
        "public change stamp", default=0, editable=False, help_text="Counts the changes its public pages show."
    )
    published_at = models.DateTimeField(
        "public pages last changed", null=True, blank=True, editable=False, help_text="Empty until the first."
    )

    history = History(excluded_fields=["updated", "stamp", "published_stamp", "published_at"], bases=[ChangeMark])

    STAMPS = ("stamp", "published_stamp", "published_at")

    # `objects` hides deleted timelines; `everything` (the default manager, so uniqueness checks
    # and the admin see them) is for restoring and purging.
    everything = models.Manager()
    objects = LiveTimelines()

    class Meta:
        ordering = ["title", "id"]
        default_manager_name = "everything"
        constraints = [
            length_check("title", limits.TITLE_MAX, "timeline"),
            length_check("description", limits.DESCRIPTION_MAX, "timeline"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A row read before a concurrent change must not write its older stamps back over the new ones.
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.STAMPS
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("timeline-detail", args=[self.slug])

    @property
    def can_edit(self) -> bool:
        """Whether the person it was fetched for may edit its entries and citations: owners and editors."""
        return self._allows(Role.EDITOR)

    @property
    def can_manage(self) -> bool:
        """Whether the person it was fetched for may manage its members and sharing: owners."""
        return self._allows(Role.OWNER)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def _allows(self, needed: Role) -> bool:
        # An archived timeline is read-only for everyone: its pages show no controls that write.
        if self.archived_at is not None and needed == Role.EDITOR:
            return False
        # `role` is the role of the person the timeline was fetched for, which selectors.timeline_for and
        # timelines_for annotate; a timeline fetched otherwise has none, and through it nobody may do anything.
        held = getattr(self, "role", None)
        return held is not None and Role(held).covers(needed)


class TimelineAddress(models.Model):
    """An address a timeline had before: its pages there redirect to the timeline's address now."""

    slug = models.SlugField("old address", max_length=80, unique=True)
    timeline = models.ForeignKey(
        Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="old_addresses"
    )
    created = models.DateTimeField("left on", auto_now_add=True)

    class Meta:
        verbose_name_plural = "old timeline addresses"
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"{self.slug} → {self.timeline_id}"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    EDITOR = "editor", "Editor"
    VIEWER = "viewer", "Viewer"

    def covers(self, other: str) -> bool:
        """Whether this role may do what `other` may: owners everything, editors what viewers may."""
        rank = {Role.VIEWER: 1, Role.EDITOR: 2, Role.OWNER: 3}
        return rank[self] >= rank[Role(other)]

    @classmethod
    def at_least(cls, role: str) -> list[Role]:
        """The roles that may do what `role` may, for filtering memberships in the database."""
        return [held for held in cls if held.covers(role)]


class Membership(models.Model):
    """A person's role on one timeline: owners manage, editors edit, viewers read."""

    timeline = models.ForeignKey(
        Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="person", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("role", max_length=16, choices=Role.choices, default=Role.EDITOR)

    history = HistoricalRecords(bases=[ChangeMark])

    class Meta:
        ordering = ["timeline_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["timeline", "user"], name="membership_unique_person"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}) on {self.timeline}"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Stance(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context"


class Entry(models.Model):
    """One event on a timeline, dated at the precision the sources allow."""

    timeline = models.ForeignKey(Timeline, verbose_name="timeline", on_delete=models.CASCADE, related_name="entries")
    start = models.DateField("date", help_text="Stored as the first day of its period (year, month or day).")
    precision = models.CharField("precision", max_length=5, choices=dates.PRECISION_CHOICES, default=dates.DAY)
    end = models.DateField("end date", null=True, blank=True, help_text="For events that span a period.")
    end_precision = models.CharField(
        "end precision", max_length=5, choices=dates.PRECISION_CHOICES, blank=True, default=""
    )
    approximate = models.BooleanField("approximate", default=False, help_text="Shown as “c. 2012”.")
    date_note = models.CharField(
        "how the date was worked out",
        max_length=DATE_NOTE_MAX,
        blank=True,
        help_text="Where the date comes from when no source states it as given: the words it was worked out from.",
    )
    headline = models.CharField("headline", max_length=limits.HEADLINE_MAX, validators=SINGLE_LINE)
    body = models.TextField(
        "body",
        max_length=limits.BODY_MAX,
        validators=text_validators(limits.BODY_MAX),
        blank=True,
        help_text="Markdown.",
    )
    place = models.CharField("place", max_length=limits.PLACE_MAX, blank=True, validators=SINGLE_LINE)
    tags = models.CharField(
        "tags",
        max_length=limits.TAGS_MAX,
        blank=True,
        validators=SINGLE_LINE,
        help_text="Comma-separated, e.g. “coup, wagner”.",
    )
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveIntegerField(
        "version", default=1, editable=False, help_text="Raised by every save; guards against lost edits."
    )
    # The two-person rule: who asked for this draft to be published, and the note of one sent back.
    review_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="review asked by",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_requested_at = models.DateTimeField("review asked at", null=True, blank=True, editable=False)
    review_note = models.TextField(
        "note of the last review sent back",
        max_length=limits.REVIEW_NOTE_MAX,
        validators=text_validators(limits.REVIEW_NOTE_MAX),
        blank=True,
        editable=False,
    )
    # "Mark reviewed": who last checked the entry, when, and at which version.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="last reviewed by",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("last reviewed at", null=True, blank=True, editable=False)
    reviewed_version = models.PositiveIntegerField("version last reviewed", null=True, blank=True, editable=False)
    created = models.DateTimeField("created", auto_now_add=True)
    updated = models.DateTimeField("last changed", auto_now=True)

    history = History(bases=[ChangeMark])

    class Meta:
        verbose_name_plural = "entries"
        ordering = ["start", "id"]
        indexes = [models.Index(fields=["timeline", "start"], name="entry_timeline_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")),
                name="entry_end_not_before_start",
            ),
            models.CheckConstraint(condition=models.Q(status__in=Status.values), name="entry_status_valid"),
            models.CheckConstraint(condition=models.Q(precision__in=dates.PRECISIONS), name="entry_precision_valid"),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True, end_precision="")
                | models.Q(end__isnull=False, end_precision__in=dates.PRECISIONS),
                name="entry_end_precision_valid",
            ),
            length_check("headline", limits.HEADLINE_MAX, "entry"),
            length_check("body", limits.BODY_MAX, "entry"),
            length_check("place", limits.PLACE_MAX, "entry"),
            length_check("tags", limits.TAGS_MAX, "entry"),
            length_check("date_note", limits.DATE_NOTE_MAX, "entry"),
            length_check("review_note", limits.REVIEW_NOTE_MAX, "entry"),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {self.headline}"

    def save(self, *args, **kwargs) -> None:
        # The rules hold whoever writes: services, the admin, a shell or a seed loader.
        self.clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.timeline.get_absolute_url()}#entry-{self.pk}"

    @property
    def date_display(self) -> str:
        text = dates.display(self.start, self.precision, self.approximate)
        if self.end:
            text += " – " + dates.display(self.end, self.end_precision or self.precision)
        return text

    @property
    def start_iso(self) -> str:
        return dates.to_iso(self.start, self.precision)

    @property
    def end_iso(self) -> str | None:
        return dates.to_iso(self.end, self.end_precision or self.precision) if self.end else None

    @property
    def tag_list(self) -> list[str]:
        return [tag.strip() for tag in self.tags.split(",") if tag.strip()]

    @property
    def stances(self) -> set[str]:
        # Reads the prefetched citations when the selector loaded them.
        return {citation.stance for citation in self.citations.all()}

    @property
    def supported(self) -> bool:
        return Stance.SUPPORTS in self.stances

    @property
    def disputed(self) -> bool:
        return {Stance.SUPPORTS, Stance.CONTRADICTS} <= self.stances

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def awaiting_review(self) -> bool:
        return self.review_requested_at is not None and self.status == Status.DRAFT

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start and self.end:
            end_last = dates.last_day(self.end, self.end_precision or self.precision)
            if self.end < self.start or end_last <= dates.last_day(self.start, self.precision):
                errors["end"] = "The end must come after the start."
        if self.status == Status.PUBLISHED and not self._has_support():
            errors["status"] = "An entry can be published only when at least one citation supports it."
        if errors:
            raise ValidationError(errors)

    def _has_support(self) -> bool:
        if self.pk is None:
            return False
        return self.citations.filter(stance=Stance.SUPPORTS).exists()


class Citation(models.Model):
    """An entry's link to the exact words of a passage, anchored by offsets, prefix and suffix."""

    entry = models.ForeignKey(Entry, verbose_name="entry", on_delete=models.CASCADE, related_name="citations")
    passage = models.ForeignKey(Passage, verbose_name="passage", on_delete=models.PROTECT, related_name="citations")
    stance = models.CharField("stance", max_length=16, choices=Stance.choices, default=Stance.SUPPORTS)
    quote = models.TextField(
        "quote",
        max_length=limits.QUOTE_MAX,
        validators=text_validators(limits.QUOTE_MAX),
        help_text="Exactly the words of the passage that are cited.",
    )
    start = models.PositiveIntegerField("start offset", help_text="Where the quote starts in the passage.")
    end = models.PositiveIntegerField("end offset")
    prefix = models.CharField("text before", max_length=64, blank=True)
    suffix = models.CharField("text after", max_length=64, blank=True)
    note = models.TextField(
        "editor's note",
        max_length=CITATION_NOTE_MAX,
        blank=True,
        help_text="Plain text, for the timeline's members only: never on public pages or in exports.",
    )
    created = models.DateTimeField("created", auto_now_add=True)

    history = History(bases=[ChangeMark])

    class Meta:
        ordering = ["entry_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="citation_end_after_start"),
            models.CheckConstraint(condition=models.Q(stance__in=Stance.values), name="citation_stance_valid"),
            # Two identical cites sent at once (a double click, a retry) must not both land.
            models.UniqueConstraint(fields=["entry", "passage", "start", "end", "stance"], name="citation_once"),
            length_check("quote", limits.QUOTE_MAX, "citation"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: “{self.quote}” ({self.passage})"

    def save(self, *args, **kwargs) -> None:
        self.clean()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.entry.get_absolute_url()

    def clean(self) -> None:
        if self.passage_id is None:
            return  # the passage field says what is missing (a form validates fields before clean)
        passage = self.passage
        if passage.boilerplate:
            raise ValidationError(
                {"passage": f"¶{passage.number} is boilerplate ({passage.boilerplate_reason}) and cannot be cited."},
                code="boilerplate",
            )
        if passage.text[self.start : self.end] != self.quote or not self.quote.strip():
            raise ValidationError({"quote": "The quote is not in the passage word for word."}, code="not_in_passage")
        if self.pk is not None and self.stance != Stance.SUPPORTS:
            entry = self.entry
            others = entry.citations.filter(stance=Stance.SUPPORTS).exclude(pk=self.pk)
            if entry.status == Status.PUBLISHED and not others.exists():
                raise ValidationError(
                    {"stance": "This is the only support of a published entry; unpublish the entry first."},
                    code="last_support",
                )

    def delete(self, *args, **kwargs):
        entry = self.entry
        if (
            entry.status == Status.PUBLISHED
            and self.stance == Stance.SUPPORTS
            and not entry.citations.filter(stance=Stance.SUPPORTS).exclude(pk=self.pk).exists()
        ):
            raise ValidationError(
                "This is the only support of a published entry; unpublish the entry first.", code="last_support"
            )
        return super().delete(*args, **kwargs)
