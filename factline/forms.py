"""Forms for the editor: entries with dates typed as people write them, timelines and members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from factline import dates
from factline.models import Entry, Timeline
from factline.models.timelines import Role, Status


class EntryForm(forms.Form):
    """An entry as typed; `version` is the version the form was opened on, to catch lost edits."""

    date = forms.CharField(
        label="Date", max_length=40, help_text="As you would write it: 2013, July 2013, 1 July 2013, c. 2012."
    )
    end = forms.CharField(label="End date", max_length=40, required=False, help_text="Only for spans of time.")
    headline = forms.CharField(label="Headline", max_length=300)
    body = forms.CharField(
        label="Body", required=False, widget=forms.Textarea(attrs={"rows": 4}), help_text="Markdown."
    )
    place = forms.CharField(label="Place", max_length=200, required=False)
    tags = forms.CharField(label="Tags", max_length=300, required=False, help_text="Separated by commas.")
    status = forms.ChoiceField(label="Status", choices=Status.choices, initial=Status.DRAFT)
    summary = forms.CharField(
        label="Edit summary",
        max_length=300,
        required=False,
        help_text="Why you made this change (kept in the history).",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, timeline: Timeline, entry: Entry | None = None, **kwargs: Any) -> None:
        # Several entry forms can be open on one page: their ids must not collide.
        if entry is not None:
            kwargs.setdefault("auto_id", f"id_{entry.pk}_%s")
        super().__init__(*args, label_suffix="", **kwargs)
        self.timeline = timeline
        self.entry = entry

    @classmethod
    def initial_for(cls, entry: Entry) -> dict[str, Any]:
        return {
            "date": entry.date_display,
            "end": dates.display(entry.end, entry.end_precision) if entry.end else "",
            "headline": entry.headline,
            "body": entry.body,
            "place": entry.place,
            "tags": entry.tags,
            "status": entry.status,
            "version": entry.version,
        }

    def clean_date(self) -> dates.PartialDate:
        try:
            return dates.parse(self.cleaned_data["date"])
        except dates.PartialDateError as error:
            raise ValidationError(str(error), code="invalid_date") from None

    def clean_end(self) -> dates.PartialDate | None:
        text = self.cleaned_data.get("end", "").strip()
        if not text:
            return None
        try:
            return dates.parse(text)
        except dates.PartialDateError as error:
            raise ValidationError(str(error), code="invalid_date") from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("date"), cleaned.get("end")
        if start and end and end.last_day() <= start.last_day():
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
            "headline": data["headline"].strip(),
            "body": data["body"],
            "place": data["place"].strip(),
            "tags": data["tags"],
            "status": data["status"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal next to the field it is about (date for start, etc.)."""
        fields = {"start": "date", "precision": "date", "end_precision": "end"}
        for field, messages in error.message_dict.items():
            name = fields.get(field, field)
            self.add_error(name if name in self.fields else None, messages)


class TimelineForm(forms.ModelForm):
    class Meta:
        model = Timeline
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class MemberForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.EDITOR)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=Role.choices)


class FilterForm(forms.Form):
    """The editor page's filters; all optional, all GET."""

    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Status.choices])
    tag = forms.CharField(label="Tag", required=False, max_length=60)
    flag = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[("", "All entries"), ("disputed", "Disputed only"), ("unsupported", "Unsupported only")],
    )
