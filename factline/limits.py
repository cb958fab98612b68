"""How long each free-text field may be, and which characters a single line may not hold.

Every cap is enforced three times: by the form (a message next to the field), by the model's
validators (so every service's `full_clean` refuses too) and by the database (`max_length`, and a
length check constraint, which SQLite needs: it ignores a VARCHAR's length). README lists them.

The caps keep each request's work bounded: the largest allowed body of the worst Markdown renders
in about a third of a second of CPU, and every page and export of it in under one (tests/test_limits.py).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

# Entries
# Markdown; a long entry is a few thousand characters. The worst 10,000 (all "[") take markdown-it-py
# about 0.3 s of CPU, which leaves a page room within its second; 20,000 took 0.55-0.7 s on their own.
BODY_MAX = 10_000
HEADLINE_MAX = 300
PLACE_MAX = 200
TAGS_MAX = 300
DATE_NOTE_MAX = 1_000
REVIEW_NOTE_MAX = 1_000  # a note sent back with a draft
SUMMARY_MAX = 300  # an edit summary (the reason kept in history)
REASON_MAX = max(SUMMARY_MAX, REVIEW_NOTE_MAX)  # any reason history keeps: a summary or a note sent back
# Timelines
TITLE_MAX = 200
DESCRIPTION_MAX = 2_000
# Sources (the library) and what timelines say of them
SOURCE_TITLE_MAX = 300
PUBLISHER_MAX = 200
AUTHOR_MAX = 200
SOURCE_TEXT_MAX = 2_000_000  # under Django's 2.5 MB cap on a request's form data
QUOTE_MAX = 5_000
RATING_REASON_MAX = 2_000
# Searching
SEARCH_QUERY_MAX = 300
TAG_FILTER_MAX = 60

# Bidirectional overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text read otherwise than it
# is stored ("txt.exe" shown for "exe.txt"); C0 and C1 controls are invisible. A single line (a headline,
# a title, a name) has no use for any of them.
HIDDEN = "\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f-\x9f"
_HIDDEN_CHARACTER = re.compile(f"[{HIDDEN}]")


def _name(char: str) -> str:
    return f"U+{ord(char):04X}"


def refuse_hidden_characters(value: str) -> None:
    """A validator for single-line fields: no bidi controls, no control characters."""
    found = _HIDDEN_CHARACTER.search(value or "")
    if found:
        raise ValidationError(
            "This contains an invisible control character (%(char)s, at character %(at)s) that can make "
            "text display otherwise than it reads. Remove it and type the text again.",
            code="hidden_character",
            params={"char": _name(found.group()), "at": found.start() + 1},
        )


SINGLE_LINE = [refuse_hidden_characters]


def text_validators(limit: int) -> list:
    """A TextField's validators: Django enforces a TextField's max_length only in its form field."""
    return [MaxLengthValidator(limit)]


def length_check(field: str, limit: int, model: str) -> models.CheckConstraint:
    """A database check that `field` holds at most `limit` characters, on SQLite as on PostgreSQL."""
    return models.CheckConstraint(condition=LessThanOrEqual(Length(field), limit), name=f"{model}_{field}_max_length")


def controls_marked(escaped_html: str) -> str:
    """Escaped HTML with each bidi control and control character (but tab and line breaks) marked visibly.

    For a source's text: it is evidence and kept as it came, but must not reorder what a reader sees.
    The character stays (a selection in the page still counts it, as the citing offsets do) inside a
    `<span class="ctl">` that CSS isolates (its override ends with the span) and labels ⟨U+202E⟩.
    """
    return _SHOWN_CHARACTER.sub(
        lambda found: f'<span class="ctl" data-ctl="{_name(found.group())}">{found.group()}</span>', escaped_html
    )


_SHOWN_CHARACTER = re.compile("[\u202a-\u202e\u2066-\u2069\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
