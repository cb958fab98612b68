"""Anchoring quotes in passages, the way W3C Web Annotations anchor text."""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote does not occur word for word in the passage."""


def _pattern(quote: str) -> re.Pattern[str]:
    # Only white space may differ (a pasted quote loses non-breaking spaces and line breaks);
    # every word and every punctuation mark must be exactly the passage's.
    words = quote.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def anchor(text: str, quote: str, start: int | None = None) -> Anchor:
    """Find `quote` in `text` (at `start` when given) and return its exact anchor."""
    if not quote.strip():
        raise QuoteNotFound("The quote is empty.")
    if start is not None:
        end = start + len(quote)
        if start < 0 or text[start:end] != quote:
            raise QuoteNotFound("The quote is not at that place in the passage.")
    else:
        match = _pattern(quote).search(text)
        if match is None:
            raise QuoteNotFound("The quote is not in the passage word for word.")
        start, end = match.span()
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )
