"""Splitting an article's text into numbered passages and marking the boilerplate in it.

Every non-blank line is one passage (a paragraph, heading or list item); its offsets
point into the original text, so `text[start:end]` is always the passage exactly.
Boilerplate is kept and numbered like the rest, only marked so it can never be cited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factline.models.sources import PassageKind


@dataclass(frozen=True)
class PassageData:
    number: int
    start: int
    end: int
    text: str
    kind: str
    boilerplate_reason: str = ""

    @property
    def boilerplate(self) -> bool:
        return bool(self.boilerplate_reason)


# Each rule: (reason shown to editors, pattern matched against one stripped line).
LINE_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("markdown fence", re.compile(r"^(```|~~~)")),
    ("related link", re.compile(r"^(related|read more|read also|see also|also read)\s*:", re.I)),
    ("sponsor line", re.compile(r"^[-–—\s]*sponsor(ed)?\b|\bspot_img\b|^(sponsored by|advertisement)\b", re.I)),
    ("comment form", re.compile(r"^leave a (reply|comment)\b|^your email address will not be published", re.I)),
    ("site tagline", re.compile(r"\beditor[- ]in[- ]chief of\b|news reporting for \d+\+? years", re.I)),
    ("byline", re.compile(r"\breading time\s*:", re.I)),
    # A product plug: a short name, an en dash, a pitch, an em dash, a call to action.
    ("advertisement", re.compile(r"^[^.!?–—]{2,40} – [^—]+ — .+")),
    ("share widget", re.compile(r"^(share|share this|tweet|share on (facebook|twitter|x))\s*:?$", re.I)),
    # A short line that ends in a call to buy: "Fly to Paris from 450,000 CFA – book now at ...".
    ("advertisement", re.compile(r"^.{0,80}\b(book|order|shop|buy) (now|today|yours)\b.{0,60}$", re.I)),
    ("press notice", re.compile(r"^for information media\b", re.I)),
]

# Lines after which the rest of a page is site furniture: comment forms, "more stories" rails.
FOOTER_MARKERS = re.compile(
    r"^(leave a (reply|comment)|week'?s top stories|more in this category|you may also like)\b", re.I
)

_SENTENCE_END = re.compile(r"[.!?:;”\"')]$")


def _kind(line: str, number: int) -> str:
    if number == 1:
        return PassageKind.TITLE
    if re.match(r"^[-*•]\s+|^\d+[.)]\s+", line):
        return PassageKind.LIST_ITEM
    if len(line) <= 80 and not _SENTENCE_END.search(line):
        return PassageKind.HEADING
    return PassageKind.PARAGRAPH


def boilerplate_reason(line: str, *, title: str, in_footer: bool) -> str:
    """Why a line is boilerplate, or "" when it is citable text."""
    for reason, pattern in LINE_RULES:
        if pattern.search(line):
            return reason
    if in_footer:
        return "page footer"
    if line == title:
        return "repeated title"
    return ""


def split_passages(text: str) -> list[PassageData]:
    passages: list[PassageData] = []
    title = ""
    in_footer = False
    for match in re.finditer(r"[^\r\n]+", text):
        raw = match.group()
        stripped = raw.strip()
        if not stripped:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        number = len(passages) + 1
        in_footer = in_footer or bool(FOOTER_MARKERS.match(stripped))
        reason = "" if number == 1 else boilerplate_reason(stripped, title=title, in_footer=in_footer)
        if number == 1:
            title = stripped
        passages.append(PassageData(number, start, end, stripped, _kind(stripped, number), reason))
    return passages
