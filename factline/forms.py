"""Forms: entries with dates typed as people write them, timelines, members, citing, snapshots, history."""

from __future__ import annotations

import datetime
import secrets
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.utils import timezone

from factline import dates, limits
from factline.limits import SINGLE_LINE
from factline.mentions import sentence_around
from factline.models import DateMention, Entry, Membership, Passage, Source, Timeline
from factline.models.discussion import COMMENT_MAX
from factline.models.ratings import Reliability
from factline.models.timelines import CITATION_NOTE_MAX, DATE_NOTE_MAX, Role, Stance, Status


def new_form_token() -> str:
    """A creating form's one-time token: 16 random bytes, URL-safe."""
    return secrets.token_urlsafe(16)


def once_field() -> forms.CharField:
    """The hidden one-time token of a creating form: a repeated sending answers with the first one's result.

    Each rendering of an unbound form draws a new token; a refused form sent back keeps its own.
    The view passes it to services.create_once.
    """
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=64, initial=new_form_token)


class EntryForm(forms.Form):
    """An entry as typed; `version` is the version the form was opened on, to catch lost edits."""

    date = forms.CharField(
        label="Date", max_length=40, help_text="As you would write it: 2013, July 2013, 1 July 2013, c. 2012."
    )
    end = forms.CharField(label="End date", max_length=40, required=False, help_text="Only for spans of time.")
    date_note = forms.CharField(
        label="How the date was worked out",
        max_length=DATE_NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="When no source states the date as given: the words it comes from, and the reasoning.",
    )
    headline = forms.CharField(label="Headline", max_length=limits.HEADLINE_MAX, validators=SINGLE_LINE)
    body = forms.CharField(
        label="Body",
        max_length=limits.BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown.",
    )
    place = forms.CharField(label="Place", max_length=limits.PLACE_MAX, required=False, validators=SINGLE_LINE)
    tags = forms.CharField(
        label="Tags",
        max_length=limits.TAGS_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Separated by commas.",
    )
    status = forms.ChoiceField(label="Status", choices=Status.choices, initial=Status.DRAFT)
    summary = forms.CharField(
        label="Edit summary",
        max_length=limits.SUMMARY_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Why you made this change (kept in the history).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    once = once_field()

    def __init__(self, *args: Any, timeline: Timeline, entry: Entry | None = None, **kwargs: Any) -> None:
        # Several entry forms can be open on one page: their ids must not collide.
        if entry is not None:
            kwargs.setdefault("auto_id", f"id_{entry.pk}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.timeline = timeline
        self.entry = entry
        # An edit must say which version it was made on, or it could overwrite a save it never saw.
        self.fields["version"].required = entry is not None
        if entry is None:
            # A new entry has no citations yet, so it can only start as a draft.
            del self.fields["status"]
        else:
            del self.fields["once"]  # an edit is guarded by its version instead

    @classmethod
    def initial_for(cls, entry: Entry) -> dict[str, Any]:
        return {
            "date": dates.display(entry.start, entry.precision, entry.approximate),  # without the end
            "end": dates.display(entry.end, entry.end_precision) if entry.end else "",
            "date_note": entry.date_note,
            "headline": entry.headline,
            "body": entry.body,
            "place": entry.place,
            "tags": entry.tags,
            "status": entry.status,
            "version": entry.version,
        }

    def clean_date(self) -> dates.PartialDate:
        try:
            return dates.parse_any_language(self.cleaned_data["date"])
        except dates.PartialDateError as error:
            raise ValidationError(str(error), code="invalid_date") from None

    def clean_end(self) -> dates.PartialDate | None:
        text = self.cleaned_data.get("end", "").strip()
        if not text:
            return None
        try:
            end = dates.parse_any_language(text)
        except dates.PartialDateError as error:
            raise ValidationError(str(error), code="invalid_date") from None
        if end.approximate:
            # An entry has one "approximate" flag, shown before its date; dropping the "c." silently
            # would make an uncertain end look certain.
            raise ValidationError(
                "Only the whole date can be approximate: write “c.” before the start date instead.",
                code="approximate_end",
            )
        return end

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date"), cleaned.get("end")
        # Both ends are periods: the end may neither begin before the start nor finish with it.
        if start and end and (end.date < start.date or end.last_day() <= start.last_day()):
            self.add_error("end", ValidationError("The end must come after the start.", code="end_before_start"))
        return cleaned

    def entry_fields(self) -> dict[str, Any]:
        """The cleaned values as the entry services take them."""
        data = self.cleaned_data
        start: dates.PartialDate = data["date"]
        end: dates.PartialDate | None = data["end"]
        return {
            "start": start.date,
            "precision": start.precision,
            "approximate": start.approximate,
            "end": end.date if end else None,
            "end_precision": end.precision if end else "",
            "date_note": data["date_note"].strip(),
            "headline": data["headline"].strip(),
            "body": data["body"],
            "place": data["place"].strip(),
            "tags": data["tags"],
            "status": data.get("status", Status.DRAFT),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal next to the field it is about (date for start, etc.)."""
        fields = {"start": "date", "precision": "date", "end_precision": "end"}
        for field, messages in error.message_dict.items():
            name = fields.get(field, field)
            self.add_error(name if name in self.fields else None, messages)


class VersionForm(forms.Form):
    """The version of the entry a button was pressed on (publish, delete, ask for review, approve)."""

    version = forms.IntegerField(min_value=1, max_value=2**31 - 1)

    MISSING = (
        "This button must say which version of the entry it was pressed on, or it could undo a change "
        "it never saw. Reload the page and try again."
    )

    @classmethod
    def read(cls, data: Any) -> int | None:
        """The posted version, or None when it is missing or not a version at all."""
        form = cls(data)
        return form.cleaned_data["version"] if form.is_valid() else None


class SummaryForm(forms.Form):
    """The edit summary a button sends with it (delete): kept in the history, so capped and free of NUL."""

    summary = forms.CharField(max_length=limits.SUMMARY_MAX, required=False)


class CitingEntryForm(EntryForm):
    """A new entry that cites a passage as it is saved ("New entry from this date"): the quote can be trimmed."""

    passage = forms.ModelChoiceField(
        queryset=Passage.objects.filter(boilerplate=False),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That passage cannot be cited: it is boilerplate or no longer exists."},
    )
    quote = forms.CharField(
        label="Supporting quote",
        max_length=limits.QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Cited as supporting the entry. Trim it to the words that say so; they must stay word for word.",
    )

    field_order = ["date", "end", "date_note", "headline", "quote", "body", "place", "tags", "summary"]

    @classmethod
    def initial_from(cls, mention: DateMention) -> dict[str, Any]:
        passage = mention.passage
        return {
            "date": mention.value_display,
            "passage": passage.pk,
            "quote": sentence_around(passage.text, mention.start, mention.end),
        }

    def add_service_errors(self, error: ValidationError) -> None:
        fields = {"start": "date", "precision": "date", "end_precision": "end", "stance": None}
        for field, messages in error.message_dict.items():
            name = fields.get(field, field)
            self.add_error(name if name in self.fields else None, messages)


class TimelineForm(forms.ModelForm):
    once = once_field()

    class Meta:
        model = Timeline
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class SourceForm(forms.ModelForm):
    """A source's details (on its edit page, and in the preview before it is saved); its text has no field here."""

    # A text box, not type=url: the browser would refuse "example.org/a", which we take as https://.
    url = forms.URLField(
        label="URL",
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    # A partial date, as people write it: relative dates in the text resolve only as far as it is known.
    published = forms.CharField(
        label="Publication date",
        max_length=40,
        required=False,
        help_text="As far as it is known: 2023, June 2023, 30 June 2023, c. June 2023.",
    )
    reason = forms.CharField(
        label="Edit summary",
        max_length=limits.SUMMARY_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Why you made this change (kept in the source's history).",
    )

    class Meta:
        model = Source
        fields = ["title", "publisher", "author", "url", "language"]

    field_order = ["title", "publisher", "author", "url", "published", "language", "reason"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.initial.setdefault("published", self.instance.published_display)

    def clean_published(self) -> dates.PartialDate | None:
        text = self.cleaned_data["published"].strip()
        if not text:
            return None
        try:
            return dates.parse_any_language(text)
        except dates.PartialDateError as error:
            raise ValidationError(str(error), code="invalid_date") from None

    def changes(self) -> dict[str, Any]:
        """The fields that changed, as source_update takes them."""
        changes = {name: self.cleaned_data[name] for name in self.changed_data if name in self.Meta.fields}
        published: dates.PartialDate | None = self.cleaned_data.get("published")
        if published != self.instance.published_date:
            changes["published"] = published.date if published else None
            changes["published_precision"] = published.precision if published else dates.DAY
            changes["published_approximate"] = published.approximate if published else False
        return changes

    def details(self) -> dict[str, Any]:
        """Every detail, as source_create takes them (the publication date as a partial date)."""
        fields = ("published", "reason", *self.Meta.fields)
        return {name: self.cleaned_data[name] for name in fields}


class PasteForm(forms.Form):
    """A source pasted in: its title, then the article."""

    title = forms.CharField(label="Title", max_length=limits.SOURCE_TITLE_MAX, validators=SINGLE_LINE)
    text = forms.CharField(
        label="Article",
        max_length=limits.SOURCE_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Paste the article's text: each paragraph on its own line.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "paste_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        help_text="A .txt (UTF-8), .html or .htm page, or a .pdf with selectable text; at most 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.html,.htm,.pdf,text/plain,text/html,application/pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "upload_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean_file(self):
        from factline.ingest.fetch import max_bytes

        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise ValidationError(
                f"{upload.name}: it is larger than {max_bytes() // (1024 * 1024)} MB.", code="too_large"
            )
        return upload


class AddressForm(forms.Form):
    # A text box, not type=url: the server says what is wrong with an address (and refuses file: itself).
    url = forms.CharField(
        label="Web address",
        max_length=2000,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "placeholder": "https://"}),
        help_text="An article's address (http or https). Factline fetches it and keeps the page as received.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "address_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class RatingForm(forms.Form):
    """A timeline's rating of a source."""

    reliability = forms.ChoiceField(
        label="Reliability", required=False, choices=[("", "Not rated"), *Reliability.choices]
    )
    reason = forms.CharField(
        label="Reason for the rating",
        max_length=limits.RATING_REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What a reader should know: shown beside the rating on this timeline's public pages.",
    )
    summary = forms.CharField(
        label="Edit summary",
        max_length=limits.SUMMARY_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Why you changed the rating (kept in its history).",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MemberForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150, validators=SINGLE_LINE)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.EDITOR)
    once = once_field()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class FilterForm(forms.Form):
    """The editor page's filters; all optional, all GET."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    tag = forms.CharField(label="Tag", required=False, max_length=limits.TAG_FILTER_MAX)
    flag = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All entries"), ("disputed", "Disputed only"), ("unsupported", "Unsupported only")],
    )
    # Which year a long list shows (selectors.year_pages); kept by the filters, chosen by the year links.
    year = forms.IntegerField(required=False, min_value=1, max_value=9999, widget=forms.HiddenInput)

    def entry_filters(self) -> dict[str, str]:
        """The filters proper (not the year), for selectors.filter_entries; none when the form is invalid."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if name != "year"}

    def chosen_year(self) -> int | None:
        return self.cleaned_data.get("year") if self.is_valid() else None


class SnapshotForm(forms.Form):
    as_of = forms.DateTimeField(
        label="As it stood at (UTC)",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty for now. Readers see the published entries exactly as they were then.",
    )
    once = once_field()


FINDER, SOURCE, SUGGESTED = "finder", "source", "suggest"


class CiteForm(forms.Form):
    """One passage, a stance and optionally the exact words; `start` comes with a selection made in the page."""

    passage = forms.ModelChoiceField(
        queryset=Passage.objects.filter(boilerplate=False).select_related("source").defer("source__text"),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That passage cannot be cited: it is boilerplate or no longer exists."},
    )
    stance = forms.ChoiceField(label="Stance", choices=Stance.choices, initial=Stance.SUPPORTS)
    quote = forms.CharField(
        label="Quote",
        required=False,
        max_length=limits.QUOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Paste the exact words, or leave it empty to cite the whole passage.",
    )
    start = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    origin = forms.ChoiceField(
        choices=[(FINDER, FINDER), (SOURCE, SOURCE), (SUGGESTED, SUGGESTED)],
        widget=forms.HiddenInput,
        required=False,
        initial=FINDER,
    )
    q = forms.CharField(widget=forms.HiddenInput, required=False, max_length=limits.SEARCH_QUERY_MAX)
    once = once_field()

    def __init__(self, *args: Any, passage_id: object = None, **kwargs: Any) -> None:
        # Every hit and every passage has its own form on one page: their ids must not collide.
        key = str(passage_id) if str(passage_id).isdecimal() else "x"
        kwargs.setdefault("auto_id", f"id_cite_{key}_%s")
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @classmethod
    def for_passage(cls, passage: Passage, *, origin: str, q: str = "") -> CiteForm:
        """An empty form for citing `passage`."""
        return cls(initial={"passage": passage.pk, "origin": origin, "q": q}, passage_id=passage.pk)

    @property
    def came_from(self) -> str:
        # Read from the data too: a refused form still goes back to the page it came from.
        origin = self.data.get("origin")
        return origin if origin in (SOURCE, SUGGESTED) else FINDER

    @property
    def passage_id(self) -> int | None:
        value = self.data.get("passage", "")
        return int(value) if str(value).isdecimal() else None

    @property
    def problems(self) -> list[str]:
        """Errors not about the quote: the form's own, and those of its hidden fields (a crafted POST)."""
        hidden = [error for field in self.hidden_fields() for error in field.errors]
        return [*self.non_field_errors(), *hidden]

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a refusal of citation_create next to the quote (or above the form when it is not about it)."""
        for field, messages in error.message_dict.items():
            self.add_error("quote" if field in ("quote", "start") else None, messages)


class ChangesForm(forms.Form):
    """The editor page's poll: `since` is the moment the page was opened (ISO 8601, as the page wrote it)."""

    since = forms.CharField(max_length=64, required=False)

    def clean_since(self) -> datetime.datetime:
        typed = self.cleaned_data["since"].strip()
        if not typed:
            return timezone.now()
        try:
            since = datetime.datetime.fromisoformat(typed)
        except ValueError:
            raise ValidationError("it is not a moment we can read (ISO 8601, as the page writes it).") from None
        if timezone.is_naive(since):
            since = since.replace(tzinfo=datetime.UTC)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which Python reads (up to ±23:59).
        try:
            return since.astimezone(datetime.UTC)
        except OverflowError:  # a moment at the edge of time, whose UTC falls outside the calendar
            edge = datetime.datetime.max if since.year > 1 else datetime.datetime.min
            return edge.replace(tzinfo=datetime.UTC)


# -- history: the timeline as it stood, the activity's filters, reverting --


class AsOfForm(forms.Form):
    as_of = forms.DateTimeField(
        label="As it stood at (UTC)",
        help_text=(
            "A date shows the timeline as it stood at the end of that day (today: as it stands now); "
            "add a time for an exact moment: 2025-05-01 or 2025-05-01 14:30."
        ),
        error_messages={"invalid": "This is not a moment we can read. Write it like 2025-05-01 14:30 (UTC)."},
        widget=forms.TextInput(attrs={"placeholder": "2025-05-01 14:30", "autocomplete": "off"}),
    )

    def __init__(self, *args, timeline: Timeline, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.timeline = timeline
        self.whole_day = self.up_to_now = False  # how a date typed alone was read, for the page to say

    def chosen_year(self) -> int | None:
        """The year a long timeline's page shows (its jump-to-year links); None for the default, as for
        a year that is no year: the moment is what was asked, the year only which part of it."""
        year = str(self.data.get("year", "")).strip()
        return int(year) if year.isdecimal() and 1 <= int(year) <= 9999 else None

    def clean_as_of(self):
        when, now = self.cleaned_data["as_of"], timezone.now()
        day = _day_alone(self.data.get("as_of", ""))
        if day is not None:
            # Someone typing a date means the day as it ended, not its first instant: on the day the
            # timeline was made, midnight would be before it existed.
            if day == now.date():
                when, self.up_to_now = now, True
            else:
                when, self.whole_day = datetime.datetime.combine(day, datetime.time.max, tzinfo=datetime.UTC), True
        if when > now:
            raise ValidationError("That moment has not come yet; the timeline as it stands now is its page.")
        if when < self.timeline.created:
            created = timezone.localtime(self.timeline.created)
            raise ValidationError(f"The timeline did not exist yet: it was created on {created:%Y-%m-%d %H:%M} UTC.")
        return when


def _day_alone(typed: str) -> datetime.date | None:
    """The day, when `typed` is a date with no time; otherwise None."""
    try:
        return forms.DateField().clean(typed.strip())
    except ValidationError:
        return None


class ActivityFilter(forms.Form):
    person = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    entry = forms.TypedChoiceField(label="Entry", required=False, coerce=int, empty_value=None)
    # "What changed since I looked" (the dashboard links here): a moment, and everyone else's changes only.
    since = forms.DateTimeField(
        label="Since", required=False, help_text="A moment, e.g. 2024-03-01 09:00; changes after it."
    )
    others = forms.BooleanField(label="Only others’ changes", required=False)

    def clean_since(self) -> datetime.datetime | None:
        since = self.cleaned_data.get("since")
        if since is None:
            return None
        try:
            # A moment at the edge of time would overflow the query.
            (since if timezone.is_aware(since) else timezone.make_aware(since, datetime.UTC)).astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError("Enter a moment between the years 1 and 9999.", code="invalid") from None
        return since

    def __init__(self, *args, people: list[tuple[int, str]], entries: list[tuple[int, str]], **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["person"]).choices = [("", "Everyone"), *people]
        cast(forms.TypedChoiceField, self.fields["entry"]).choices = [
            ("", "All entries, members and settings"),
            *entries,
        ]


class RevertForm(forms.Form):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    reason = forms.CharField(
        label="Why",
        max_length=limits.SUMMARY_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Kept in the history with the revert.",
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# -- timeline settings, and changing a citation in place --


class TimelineSettingsForm(forms.ModelForm):
    """Rename, describe, and move a timeline to another address (the old one keeps redirecting)."""

    class Meta:
        model = Timeline
        fields = ["title", "slug", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"slug": "Its pages live at /t/<address>/; the old address keeps leading here."}

    def validate_unique(self) -> None:
        # The service checks the address against every timeline and every old address, in its transaction.
        return None


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_username()} ({obj.get_role_display().lower()})"


class TransferForm(forms.Form):
    member = MemberChoiceField(
        label="New owner",
        queryset=Membership.objects.none(),
        help_text="A member of this timeline. You stay on as an editor.",
        error_messages={"invalid_choice": "Choose a member of this timeline."},
    )

    def __init__(self, *args: Any, timeline: Timeline, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Membership.objects.filter(timeline=timeline).exclude(user=user)
        cast(MemberChoiceField, self.fields["member"]).queryset = others.select_related("user").order_by(
            "user__username"
        )


class DeleteTimelineForm(forms.Form):
    typed_name = forms.CharField(label="Type the timeline's name to confirm", max_length=200)


class CitationEditForm(forms.Form):
    """A citation's stance, its quote (other words of the same passage) and the editors' note on it."""

    stance = forms.ChoiceField(label="Stance", choices=Stance.choices)
    quote = forms.CharField(
        label="Quote",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The exact words of the passage; change them to cite more or fewer of its words.",
    )
    note = forms.CharField(
        label="Editors' note",
        required=False,
        max_length=CITATION_NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=f"Plain text, up to {CITATION_NOTE_MAX} characters. Members see it; readers of public pages "
        "and exports never do.",
    )


class CommentForm(forms.Form):
    """A comment on an entry's discussion, or (with `parent`) a reply in one of its threads."""

    body = forms.CharField(
        label="Comment",
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown. Mention a member with @username; only members of this timeline read it.",
    )
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=2**63 - 1)
    once = once_field()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 4}), help_text="Markdown."
    )

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
