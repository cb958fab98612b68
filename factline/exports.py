"""The JSON exports other tools (and our own checks) read."""

from __future__ import annotations

import bisect
import csv
import datetime
import html
import io
import re
from collections.abc import Callable
from typing import Any

from django.utils.html import escape

from factline import dates, markdown, selectors
from factline.models import Citation, DateMention, Entry, Passage, Source, Timeline
from factline.models.ratings import Reliability
from factline.models.timelines import Status


def source_summary(source: Source) -> dict[str, Any]:
    return {
        "id": source.pk,
        "title": source.title,
        "publisher": source.publisher,
        "published": source.published_iso,
        "origin": source.origin,
    }


def citation_data(citation: Citation) -> dict[str, Any]:
    passage = citation.passage
    return {
        "stance": citation.stance,
        "quote": citation.quote,
        "passage": {"id": passage.pk, "number": passage.number, "text": passage.text},
        "source": source_summary(passage.source),
    }


def entry_data(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "start": entry.start_iso,
        "end": entry.end_iso,
        "precision": entry.precision,
        "approximate": entry.approximate,
        "date_note": entry.date_note,
        "headline": entry.headline,
        "body": entry.body,
        "status": entry.status,
        "disputed": entry.disputed,
        "citations": [citation_data(c) for c in entry.citations.all()],
    }


def timeline_json(timeline: Timeline, entries: list[Entry] | None = None) -> dict[str, Any]:
    """`{"timeline": {...}, "entries": [...]}`; pass `entries` to export a subset (e.g. published only)."""
    if entries is None:
        entries = list(selectors.entries_of(timeline))
    return {
        "timeline": {"slug": timeline.slug, "title": timeline.title, "description": timeline.description},
        "entries": [entry_data(entry) for entry in entries],
    }


def mention_data(mention: DateMention) -> dict[str, Any]:
    """A date found in a passage: offsets into the passage's text, the value at its precision (null: unresolved)."""
    return {
        "text": mention.text,
        "start": mention.start,
        "end": mention.end,
        "value": mention.value_iso,
        "precision": mention.precision or None,
        "approximate": mention.approximate,
        "kind": mention.kind,
        "reason": mention.reason,
    }


def passage_data(passage: Passage) -> dict[str, Any]:
    return {
        "id": passage.pk,
        "number": passage.number,
        "text": passage.text,
        "boilerplate": passage.boilerplate,
        "dates": [mention_data(mention) for mention in passage.date_mentions.all()],
    }


def sources_json() -> dict[str, Any]:
    sources = selectors.sources_with_passages().prefetch_related("passages__date_mentions").order_by("id")
    return {
        "sources": [
            {**source_summary(source), "passages": [passage_data(p) for p in source.passages.all()]}
            for source in sources
        ]
    }


# -- sharing exports: CSV, TimelineJS and Markdown, built from entries with their citations attached --

ContextUrl = Callable[[Citation], str] | None

CSV_COLUMNS = [
    "entry_id",
    "date",
    "end_date",
    "precision",
    "approximate",
    "date_display",
    "date_note",
    "headline",
    "body",
    "place",
    "tags",
    "status",
    "disputed",
    "footnote",
    "stance",
    "quote",
    "source_title",
    "source_publisher",
    "source_author",
    "source_published",
    "source_url",
    "source_reliability",
    "source_reliability_note",
    "passage_number",
    "context_url",
]


def _source_details(source: Source) -> list[str]:
    """The publisher and publication date, as far as they are known."""
    details = [source.publisher] if source.publisher else []
    if source.published:
        details.append(source.published_display)
    return details


def source_line(source: Source) -> str:
    """`Title, Publisher, 1 July 2023`: how a footnote names its source."""
    return ", ".join([source.title, *_source_details(source)])


def full_stop(text: str) -> str:
    """The full stop that ends a sentence ending in `text`, unless it ends with one already ("Why?")."""
    return "" if text.rstrip().endswith((".", "?", "!", "…")) else "."


def rating_sentence(citation: Citation) -> str:
    """`Rated mixed: why.`: the citing timeline's rating of the source, or "" when it has none."""
    reliability = getattr(citation, "rating", None)
    if not reliability:
        return ""
    rating = f"Rated {Reliability(reliability).label.lower()}"
    reason = (getattr(citation, "rating_reason", "") or "").strip()
    if reason:
        rating += f": {reason}"
    return rating if rating.endswith((".", "!", "?")) else rating + "."


def _spreadsheet_safe(value: Any) -> Any:
    # A cell starting with = + @ (or - before a non-space) runs as a formula in spreadsheets
    # (CSV injection); a leading apostrophe shows it as text. "- 2012 - ..." list items stay as they are.
    if isinstance(value, str) and value and (value[0] in "=+@\t\r" or (value[0] == "-" and value[1:2] not in " ")):
        return "'" + value
    return value


def timeline_csv(entries: list[Entry], *, context_url: ContextUrl = None) -> str:
    """One row per entry and citation (an entry without citations has one row), with a header row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    number = 0
    for entry in entries:
        row = {
            "entry_id": entry.pk,
            "date": entry.start_iso,
            "end_date": entry.end_iso or "",
            "precision": entry.precision,
            "approximate": "yes" if entry.approximate else "no",
            "date_display": entry.date_display,
            "date_note": entry.date_note,
            "headline": entry.headline,
            "body": entry.body,
            "place": entry.place,
            "tags": entry.tags,
            "status": entry.status,
            "disputed": "yes" if entry.disputed else "no",
        }
        citations = list(entry.citations.all())
        if not citations:
            writer.writerow({key: _spreadsheet_safe(value) for key, value in row.items()})
        for citation in citations:
            number += 1
            source = citation.passage.source
            cells = {
                **row,
                "footnote": number,
                "stance": citation.stance,
                "quote": citation.quote,
                "source_title": source.title,
                "source_publisher": source.publisher,
                "source_author": source.author,
                "source_published": source.published_iso or "",
                "source_url": source.url,
                "source_reliability": getattr(citation, "rating", None) or "",
                "source_reliability_note": getattr(citation, "rating_reason", "") or "",
                "passage_number": citation.passage.number,
                "context_url": context_url(citation) if context_url else "",
            }
            writer.writerow({key: _spreadsheet_safe(value) for key, value in cells.items()})
    return out.getvalue()


def _headline(entry: Entry) -> str:
    return f"Draft: {entry.headline}" if _is_draft(entry) else entry.headline


def _tljs_date(value: datetime.date, precision: str, display: str) -> dict[str, Any]:
    # TimelineJS reads a date as far as it is given: a year alone is a year, as with Wikidata.
    date: dict[str, Any] = {"year": value.year}
    if precision in (dates.MONTH, dates.DAY):
        date["month"] = value.month
    if precision == dates.DAY:
        date["day"] = value.day
    date["display_date"] = display
    return date


DRAFT_NOTE = "Readers of the public page do not see this entry."


def _is_draft(entry: Entry) -> bool:
    # Public exports hold published entries only; a member's download holds drafts too, marked so
    # that nobody republishes one unknowingly.
    return entry.status != Status.PUBLISHED


def _tljs_text(entry: Entry, context_url: ContextUrl) -> str:
    parts = []
    if _is_draft(entry):
        parts.append(f"<p><strong>Draft, not published.</strong> {DRAFT_NOTE}</p>")
    if entry.disputed:
        parts.append("<p><strong>Disputed:</strong> the sources disagree about this entry.</p>")
    if entry.date_note:
        parts.append(f"<p><em>How the date was worked out:</em> {escape(entry.date_note)}</p>")
    if entry.body:
        parts.append(markdown.render(entry.body))
    if entry.place:
        parts.append(f"<p>Place: {escape(entry.place)}</p>")
    for citation in entry.citations.all():
        source = citation.passage.source
        stance = citation.get_stance_display()
        rating = f" {escape(rating_sentence(citation))}" if rating_sentence(citation) else ""
        link = f' <a href="{escape(context_url(citation))}">In context</a>' if context_url else ""
        details = "".join(f", {escape(detail)}" for detail in _source_details(source)) + full_stop(source_line(source))
        parts.append(
            f"<blockquote>“{escape(citation.quote)}”</blockquote>"
            f"<p>{stance}: <cite>{escape(source.title)}</cite>{details}{rating}{link}</p>"
        )
    return "".join(parts)


def timeline_timelinejs(
    timeline: Timeline, entries: list[Entry], *, as_of=None, context_url: ContextUrl = None
) -> dict[str, Any]:
    """The timeline as Knight Lab's TimelineJS 3 reads it: a title slide and one slide per entry."""
    intro = f"<p>{escape(timeline.description)}</p>" if timeline.description else ""
    if as_of is not None:
        intro += f"<p>As it stood on {as_of:%d %B %Y at %H:%M} UTC.</p>"
    events = []
    for entry in entries:
        event: dict[str, Any] = {
            "unique_id": f"entry-{entry.pk}",
            "start_date": _tljs_date(entry.start, entry.precision, dates.display(entry.start, entry.precision)),
            "display_date": entry.date_display,
            "text": {"headline": escape(_headline(entry)), "text": _tljs_text(entry, context_url)},
        }
        if entry.end:
            precision = entry.end_precision or entry.precision
            event["end_date"] = _tljs_date(entry.end, precision, dates.display(entry.end, precision))
        if entry.disputed:
            # A dark slide (TimelineJS writes white text on it) marks disputes at a glance.
            event["background"] = {"color": "#5c2a6b"}
        events.append(event)
    return {"title": {"text": {"headline": escape(timeline.title), "text": intro}}, "events": events}


_MARKDOWN_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|"})


def _md(text: str) -> str:
    """Plain text made safe to put inside Markdown (no accidental emphasis, links or HTML)."""
    return text.translate(_MARKDOWN_SPECIAL)


_NO_RAW_HTML = str.maketrans({"<": "&lt;"})
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)
# Where a link's destination starts: after "](" (a link or image) or "]:" (a reference definition),
# and the spaces and the one line break Markdown renderers allow before it.
_DESTINATION = re.compile(r"\]([(:])[ \t]*\n?[ \t]*")
# What may follow an inline link's destination: a title in "", '' or (), then its closing ")".
_LINK_END = re.compile(r"""\s*(?:"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|\((?:\\.|[^()\\])*\))?\s*\)""")


# How much of a destination is read for its scheme: past it, scheme characters alone mean "cannot tell".
_SCHEME_WINDOW = 512
_SCHEME_SO_FAR = re.compile(r"[a-z][a-z0-9+.-]*", re.IGNORECASE)


def _runs_elsewhere(destination: str) -> bool:
    """Whether a link destination names a scheme other than http, https or mailto (javascript:, data:...).

    Reads the first _SCHEME_WINDOW characters only, so that the check is bounded whatever the length;
    a longer destination whose window is still all scheme letters (padding such as `&#x09;` repeated)
    counts as running elsewhere.
    """
    url = destination[:_SCHEME_WINDOW]
    for _ in range(3):  # renderers decode entities (&#106;avascript:), nested ones too for all we know
        url = html.unescape(url)
    # Renderers drop backslash escapes; browsers drop tabs, line breaks and control characters in URLs.
    url = re.sub(r"[\\\x00-\x20\x7f]", "", url).lstrip("<")
    scheme = _SCHEME.match(url)
    if scheme is not None:
        return scheme.group()[:-1].lower() not in SAFE_SCHEMES
    so_far = _SCHEME_SO_FAR.match(url)
    return len(destination) > _SCHEME_WINDOW and so_far is not None and so_far.end() == len(url)


class _Reading:
    """What one linear pass over a text knows of each position: escapes, brackets, parentheses, ends.

    Each question _without_script_links asks is then answered without scanning the text again,
    so that a body of `](` repeated thousands of times costs one pass, not one per destination.
    """

    def __init__(self, text: str) -> None:
        n = len(text)
        self.text = text
        self.escaped = [False] * n
        self.opener: dict[int, int | None] = {}  # each `]`: the `[` it closes (brackets nesting), or None
        self.depth = [0] * (n + 1)  # unescaped "(" minus ")" before each position
        self.next_gt = [n] * (n + 1)  # the first ">" at or after each position (n: none)
        self.next_break = [n] * (n + 1)  # the first unescaped space or control character at or after it
        self.closes: dict[int, list[int]] = {}  # per depth, the unescaped ")" found at that depth, in order
        backslashes, stack = 0, list[int]()
        for i, char in enumerate(text):
            escaped = backslashes % 2 == 1
            self.escaped[i] = escaped
            backslashes = backslashes + 1 if char == "\\" else 0
            depth = self.depth[i]
            if not escaped and char == "(":
                depth += 1
            elif not escaped and char == ")":
                self.closes.setdefault(depth, []).append(i)
                depth -= 1
            self.depth[i + 1] = depth
            if char == "]":
                self.opener[i] = stack[-1] if stack else None
                if stack and not escaped:
                    stack.pop()
            elif char == "[" and not escaped:
                stack.append(i)
        for i in range(n - 1, -1, -1):
            char = text[i]
            self.next_gt[i] = i if char == ">" else self.next_gt[i + 1]
            breaks = (char.isspace() or char < " ") and not self.escaped[i]
            self.next_break[i] = i if breaks else self.next_break[i + 1]

    def destination_end(self, at: int) -> int:
        """Where the destination at `at` ends: after its `>` if it opens with `<`, else at a space or unmatched `)`."""
        n = len(self.text)
        if self.text.startswith("<", at) and self.next_gt[at] < n:
            return self.next_gt[at] + 1
        # The first ")" at the depth the destination starts at closes what opened it.
        closes = self.closes.get(self.depth[at], [])
        index = bisect.bisect_left(closes, at)
        unmatched = closes[index] if index < len(closes) else n
        return min(self.next_break[at], unmatched)


def _cuts(text: str) -> list[tuple[int, int]]:
    """The spans to delete from `text` so that each link, image or reference running elsewhere is made plain."""
    reading = _Reading(text)
    cuts = []
    for found in _DESTINATION.finditer(text):
        start = found.end()
        end = reading.destination_end(start)
        if not _runs_elsewhere(text[start:end]):
            continue
        close = found.start()
        opening = reading.opener.get(close) if found.group(1) == "(" else None
        link_end = _LINK_END.match(text, end) if opening is not None else None
        if opening is not None and link_end:
            image = opening > 0 and text[opening - 1] == "!" and not reading.escaped[opening - 1]
            cuts += [(opening - 1 if image else opening, opening + 1), (close, link_end.end())]
        else:
            cuts.append((start, end))
    return cuts


def _without_script_links(text: str) -> str:
    """`text` with each link, image or reference whose destination runs elsewhere than the web made plain.

    A link `[words](javascript:...)` becomes its words; a destination that is not part of a whole link
    (a reference definition `[a]: javascript:...`, a link left unclosed) is cut out. The destination is
    read as Markdown reads it (parentheses balance, `<...>`, escapes), so `alert(1)` cannot end it early.
    Each pass cuts every such link at once, in time linear in the text; what the cuts put together is
    looked at again, and a text that still has one after a few passes (links nested in links nested in
    links...) is written as plain text, every Markdown character escaped.
    """
    for _ in range(4):
        cuts = _cuts(text)
        if not cuts:
            return text
        pieces, at = [], 0
        for start, end in sorted(cuts):
            if start > at:
                pieces.append(text[at:start])
            at = max(at, end)
        pieces.append(text[at:])
        text = "".join(pieces)
    return text if not _cuts(text) else _md(text)


def _md_body(text: str) -> str:
    """An entry's Markdown body, safe in the file: no raw HTML, links that run script, headings or footnotes."""
    # A heading of its own would break the file's outline; a footnote of its own could fake a source.
    lines = []
    for line in text.strip().splitlines():
        if line.lstrip().startswith(("#", "[^")):
            line = "\\" + line.lstrip()
        lines.append(line)
    # Links first, while `<javascript:...>` destinations still read as they are written.
    return _without_script_links("\n".join(lines)).translate(_NO_RAW_HTML)


def timeline_markdown(timeline: Timeline, entries: list[Entry], *, as_of=None, context_url: ContextUrl = None) -> str:
    """The timeline as Markdown, each quoted source a footnote (`[^1]`), grouped by year."""
    lines = [f"# {_md(timeline.title)}", ""]
    if timeline.description:
        lines += [_md(timeline.description), ""]
    if as_of is not None:
        lines += [f"*Snapshot: the timeline as it stood on {as_of:%d %B %Y at %H:%M} UTC.*", ""]
    notes: list[str] = []
    year = None
    for entry in entries:
        if entry.start.year != year:
            year = entry.start.year
            lines += [f"## {year}", ""]
        refs = {}
        for citation in entry.citations.all():
            refs[citation.pk] = len(notes) + 1
            source = citation.passage.source
            note = f"[^{refs[citation.pk]}]: "
            if citation.stance != "supports":
                note += f"{citation.get_stance_display()}: "
            line = source_line(source)
            note += f"“{_md(citation.quote)}” — {_md(line)}{full_stop(line)}"
            if rating_sentence(citation):
                note += f" {_md(rating_sentence(citation))}"
            if context_url:
                note += f" <{context_url(citation)}>"
            notes.append(note)
        marks = "".join(f"[^{number}]" for number in refs.values())
        lines += [f"### {entry.date_display}: {_md(_headline(entry))}{marks}", ""]
        if _is_draft(entry):
            lines += [f"**Draft, not published.** {DRAFT_NOTE}", ""]
        if entry.disputed:
            sides = [
                f"{c.get_stance_display()}: {_md(c.passage.source.title)}[^{refs[c.pk]}]"
                for c in entry.citations.all()
                if c.stance != "context"
            ]
            lines += ["**Disputed:** the sources disagree. " + "; ".join(sides) + ".", ""]
        if entry.date_note:
            lines += [f"*How the date was worked out:* {_md(entry.date_note)}", ""]
        if entry.body:
            lines += [_md_body(entry.body), ""]
        if entry.place:
            lines += [f"Place: {_md(entry.place)}", ""]
    if notes:
        lines += [*notes, ""]
    return "\n".join(lines)


def timeline_json_ld(timeline: Timeline, entries: list[Entry], *, url: str, modified=None) -> dict[str, Any]:
    """schema.org metadata for the public page: an ItemList of dated events."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": timeline.title,
        "description": timeline.description,
        "url": url,
        "numberOfItems": len(entries),
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "url": f"{url}#entry-{entry.pk}",
                "item": {
                    "@type": "Event",
                    "name": entry.headline,
                    "startDate": entry.start_iso,
                    **({"endDate": entry.end_iso} if entry.end else {}),
                    **({"location": {"@type": "Place", "name": entry.place}} if entry.place else {}),
                },
            }
            for position, entry in enumerate(entries, start=1)
        ],
    }
    if modified is not None:
        data["dateModified"] = modified.isoformat()
    return data
