import datetime

from django import template
from django.utils import timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from factline import limits
from factline import markdown as markdown_module
from factline.people import display_name

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render Markdown to sanitised HTML."""
    return mark_safe(markdown_module.render(text))


@register.filter
def moment(value: datetime.datetime | None) -> str:
    """A moment for `<time datetime>`: ISO 8601 to the millisecond (HTML allows no finer), in local time."""
    if value is None or value == "":
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.isoformat(timespec="milliseconds")


@register.filter
def controls_shown(text: str) -> SafeString:
    """Source text, escaped, its bidi and control characters shown as ⟨U+202E⟩ instead of acting."""
    return mark_safe(limits.controls_marked(escape(text)))


@register.filter
def with_dates(passage) -> SafeString:
    """The passage's text, escaped, with its date mentions marked (and nothing else: selections count its text)."""
    text, parts, at = passage.text, [], 0
    for mention in passage.date_mentions.all():
        if mention.start < at:
            continue
        resolved = mention.value_display or "not resolved"
        parts.append(controls_shown(text[at : mention.start]))
        parts.append(
            format_html(
                '<mark class="date-mark" id="d{}" title="{}">{}</mark>',
                mention.pk,
                f"{resolved}: {mention.reason}",
                controls_shown(text[mention.start : mention.end]),
            )
        )
        at = mention.end
    parts.append(controls_shown(text[at:]))
    return mark_safe("".join(parts))


@register.filter
def person(user, default: str = "") -> str:
    """A person's display name (else username): `{{ change.user|person:"system" }}`. See factline/people.py."""
    return display_name(user, default)
