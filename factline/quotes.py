"""Anchoring quotes in passages, the way W3C Web Annotations anchor text.

A typed or pasted quote is matched ignoring what copying and keyboards change: curly or straight
quotes and apostrophes, the kind of dash, non-breaking and repeated spaces, soft hyphens and
zero-width characters. The anchor always holds the passage's own characters, at offsets that point
into the passage exactly. When there is no match, the closest stretch of the passage is shown with
the words that differ marked.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CONTEXT_CHARS = 32
MAX_QUOTE_WORDS = 150  # the closest-stretch search compares at most this many words of a quote
MAX_PASSAGE_WORDS = 3000

# What a keyboard or a copy may have turned each character into.
FOLDED = str.maketrans(
    {
        **dict.fromkeys("‘’‚‛′ʼ`´", "'"),
        **dict.fromkeys("“”„‟″«»", '"'),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
# Characters that are invisible in a passage and vanish when it is copied.
INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


@dataclass(frozen=True)
class Anchor:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote does not occur in the passage; `message` may show the closest stretch (safe HTML)."""

    def __init__(self, message: str | SafeString) -> None:
        super().__init__(message)
        self.message = message


def fold(text: str) -> tuple[str, list[int]]:
    """`text` as matching sees it, and for each of its characters the offset it came from in `text`."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char in INVISIBLE:
            continue
        if char.isspace():
            if chars and chars[-1] != " ":
                chars.append(" ")
                origin.append(index)
            continue
        chars.append(char)
        origin.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origin.pop()
    return "".join(chars).translate(FOLDED), origin


def anchor(text: str, quote: str, start: int | None = None) -> Anchor:
    """Find `quote` in `text` (exactly at `start`, when a selection gives it) and return its exact anchor."""
    if not quote.strip():
        raise QuoteNotFound("The quote is empty.")
    if start is not None:
        end = start + len(quote)
        if start < 0 or text[start:end] != quote:
            raise QuoteNotFound("The quote is not at that place in the passage.")
    else:
        folded, origin = fold(text)
        wanted = fold(quote)[0]
        at = folded.find(wanted) if wanted else -1
        if at < 0:
            raise QuoteNotFound(not_found_message(text, quote))
        start, end = origin[at], origin[at + len(wanted) - 1] + 1
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _key(word: str) -> str:
    return re.sub(r"^\W+|\W+$", "", word).lower()


@dataclass(frozen=True)
class Closest:
    """The stretch of a passage nearest a quote: (word, differs) pairs, and what surrounds it."""

    words: list[tuple[str, bool]]
    missing: list[str]
    cut_before: bool
    cut_after: bool


def closest(text: str, quote: str) -> Closest | None:
    """The stretch of `text` most like `quote`, word by word, or None when they share no word."""
    folded, origin = fold(text)
    spans = [match.span() for match in re.finditer(r"\S+", folded)][:MAX_PASSAGE_WORDS]
    words = [folded[a:b] for a, b in spans]
    wanted = fold(quote)[0].split()[:MAX_QUOTE_WORDS]
    matcher = difflib.SequenceMatcher(None, [_key(w) for w in wanted], [_key(w) for w in words], autojunk=False)
    blocks = [block for block in matcher.get_matching_blocks() if block.size]
    if not blocks:
        return None
    # The run of matching blocks that holds the most matched words within a stretch about the quote's length.
    limit = 2 * len(wanted) + 4
    best = (0, 0, 0)
    for i, first in enumerate(blocks):
        matched = 0
        for j in range(i, len(blocks)):
            if blocks[j].b + blocks[j].size - first.b > limit:
                break
            matched += blocks[j].size
            if matched > best[0]:
                best = (matched, i, j)
    _matched, i, j = best
    first, last = blocks[i], blocks[j]
    # Quote words before the first match and after the last stand against as many passage words.
    b0 = max(first.b - first.a, 0) if first.a else first.b
    b1 = min(last.b + last.size + (len(wanted) - last.a - last.size), len(words))
    a0 = max(first.a - (first.b - b0), 0)
    a1 = len(wanted) if b1 > last.b + last.size else last.a + last.size
    inner = difflib.SequenceMatcher(
        None, [_key(w) for w in wanted[a0:a1]], [_key(w) for w in words[b0:b1]], autojunk=False
    )
    marked: list[tuple[str, bool]] = []
    missing: list[str] = []
    for op, qa, qb, pa, pb in inner.get_opcodes():
        for index in range(pa, pb):
            a, b = spans[b0 + index]
            word = text[origin[a] : origin[b - 1] + 1]  # the passage's own characters
            # Equal ignoring case and edge punctuation is still marked if a letter or a mark differs.
            marked.append((word, op != "equal" or words[b0 + index] != wanted[a0 + qa + index - pa]))
        if op in ("delete", "replace"):
            missing += wanted[a0 + qa : a0 + qb]
    return Closest(marked, missing, cut_before=b0 > 0, cut_after=b1 < len(spans))


def not_found_message(text: str, quote: str) -> SafeString:
    """Say the quote is not in the passage, and show the closest stretch with the differing words marked."""
    near = closest(text, quote)
    if near is None:
        return mark_safe("The quote is not in the passage word for word, and none of its words are.")
    words = " ".join(f"<mark>{escape(word)}</mark>" if differs else str(escape(word)) for word, differs in near.words)
    stretch = ("… " if near.cut_before else "") + words + (" …" if near.cut_after else "")
    message = f'The quote is not in the passage word for word. Closest: <q class="closest">{stretch}</q>'
    if near.missing:
        message += " (your words not there: " + escape(" ".join(near.missing)) + ")"
    return mark_safe(message)
