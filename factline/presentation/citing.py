"""Passages offered for citing: a source's passages in its reading view, and the finder's hits.

Both the reading view (views/sources.py) and the citing form's answers (views/citing.py) show a
source's passages, so what they show is built here, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString

from factline import search, selectors, services
from factline.forms import FINDER, SOURCE, CiteForm
from factline.models import Citation, Entry, Passage, Source, SourceOriginal, Timeline
from factline.models.timelines import Stance

if TYPE_CHECKING:
    from django.contrib.auth.models import User

READING = "sources/source_detail.html"
PASSAGE_BLOCK = READING + "#passage-block"


@dataclass(frozen=True)
class ReadingPassage:
    """A passage as the reading view shows it: who cites it, and its citing form when citing for an entry."""

    passage: Passage
    citing: list[Citation]  # the citations of it that the reader may see
    cited_here: bool  # whether the entry being cited for cites it already
    cite_form: CiteForm | None  # None when not citing, or for boilerplate


def reading_passages(
    user: User,
    source: Source,
    *,
    entry: Entry | None = None,
    form: CiteForm | None = None,
    only: int | None = None,
) -> list[ReadingPassage]:
    """The passages of `source` (or only the one with pk `only`); the refused `form` stays on its passage."""
    shown = []
    for found in selectors.source_reading(user, source, only=only):
        passage, cite_form = found.passage, None
        if entry is not None and passage.citable:
            cite_form = form if form is not None and form.passage_id == passage.pk else None
            cite_form = cite_form or CiteForm.for_passage(passage, origin=SOURCE)
        cited_here = entry is not None and any(c.entry_id == entry.pk for c in found.citing)
        shown.append(ReadingPassage(passage, found.citing, cited_here, cite_form))
    return shown


def reading_context(
    user: User,
    source: Source,
    *,
    entry: Entry | None = None,
    form: CiteForm | None = None,
    working: Timeline | None = None,
) -> dict[str, Any]:
    """The whole reading view of `source`, citing for `entry` when given; ratings for the timeline `working` on."""
    working = working or (entry.timeline if entry is not None else None)
    ratings = selectors.source_ratings(user, source)
    rate_on = selectors.timelines_to_rate_on(user)
    return {
        "source": source,
        "passages": reading_passages(user, source, entry=entry, form=form),
        "entry": entry,
        "stances": Stance.choices,
        "can_edit_sources": services.may_edit_sources(user),
        "working": working,
        "working_rating": next((r for r in ratings if working and r.timeline_id == working.pk), None),
        "working_can_rate": working is not None and any(t.pk == working.pk for t in rate_on),
        "ratings": ratings,
        "rate_on": rate_on,
        "original": SourceOriginal.objects.filter(source=source).only("content_type", "filename").first(),
    }


def passage_context(
    user: User,
    passage: Passage,
    *,
    entry: Entry,
    form: CiteForm | None = None,
    cited: Citation | None = None,
) -> dict[str, Any]:
    """One passage's block of the reading view: who cites it now, and its form (refused) or a confirmation."""
    found = reading_passages(user, passage.source, entry=entry, form=form, only=passage.pk)
    if not found:
        raise selectors.NotFound("No such passage.")
    return {"shown": found[0], "entry": entry, "cited": cited, "can_edit_sources": services.may_edit_sources(user)}


@dataclass(frozen=True)
class FinderHit:
    """A passage the finder offers: its words with the searched ones marked, and its citing form."""

    passage: Passage
    highlighted: SafeString
    cited: bool  # whether the entry being cited for cites it already
    cite_form: CiteForm


def finder_hit(passage: Passage, q: str, form: CiteForm | None = None, *, cited: bool) -> FinderHit:
    """`passage` as a hit for the words `q`, with `form` or a blank one."""
    highlighted = search.highlight(passage.text, search.search_terms(q)[0])
    return FinderHit(passage, highlighted, cited, form or CiteForm.for_passage(passage, origin=FINDER, q=q))


def finder_hits(passages: list[Passage], q: str, bound: CiteForm | None = None) -> list[FinderHit]:
    """The passages `search.passage_search` found, each with its form: `bound` (refused) on its own passage."""
    return [
        FinderHit(
            passage,
            passage.highlighted,  # type: ignore[attr-defined]  # set by search.passage_search
            bool(getattr(passage, "cited", False)),
            bound
            if bound is not None and passage.pk == bound.passage_id
            else CiteForm.for_passage(passage, origin=FINDER, q=q),
        )
        for passage in passages
    ]
