"""Finding citable passages: full-text search on PostgreSQL, every-word matching on SQLite, highlighted alike."""

from __future__ import annotations

import re

from django.db import connection
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from factline.models import Citation, Entry, Passage

CONFIG = "english"
MAX_TERMS = 12
# ts_headline marks matches with these private-use characters; the text is escaped first, then they become <mark>.
START_SEL, STOP_SEL = "\ue000", "\ue001"


def search_terms(q: str) -> tuple[list[str], list[str]]:
    """The words a query asks for and the words it excludes (`-word`), as the fallback reads them."""
    wanted: list[str] = []
    excluded: list[str] = []
    for token in q.replace('"', " ").split():
        negated = token.startswith("-")
        # Keep inner punctuation ("U.S", "al-Qaeda") but not the edges; a possessive ("Mali's", "Mali’s")
        # is cut at its apostrophe, since the sources use curly ones and people type straight ones.
        word = re.sub(r"^\W+|\W+$", "", token)
        word = _apostrophe(word).lower()
        if not word or (word == "or" and not negated):
            continue
        (excluded if negated else wanted).append(word)
    return list(dict.fromkeys(wanted))[:MAX_TERMS], list(dict.fromkeys(excluded))[:MAX_TERMS]


def _apostrophe(word: str) -> str:
    """A possessive ("Mali's", "Mali’s") is cut at its apostrophe, an elision ("l'ONU", "d’Afrique") after it.

    The sources use curly apostrophes and people type straight ones, so neither is searched for.
    """
    parts = re.split(r"['’]", word)
    if len(parts) > 1 and len(parts[0]) <= 2 and parts[-1] not in ("s", ""):
        return parts[-1]
    return parts[0]


def highlight(text: str, terms: list[str]) -> SafeString:
    """`text` escaped, with every word that begins with one of `terms` wrapped in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(term) for term in terms) + r")\w*", re.IGNORECASE)
    return _marked(text, [match.span() for match in pattern.finditer(text)])


def _marked(text: str, spans: list[tuple[int, int]]) -> SafeString:
    parts, at = [], 0
    for start, end in spans:
        parts.append(f"{escape(text[at:start])}<mark>{escape(text[start:end])}</mark>")
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))


def _from_headline(text: str, headline: str | None) -> SafeString | None:
    """The highlight ts_headline chose, when it kept the passage's text intact around its markers."""
    if not headline or headline.replace(START_SEL, "").replace(STOP_SEL, "") != text:
        return None
    spans, at = [], 0
    # Split on the markers: the odd pieces are the marked words.
    for index, piece in enumerate(re.split(f"[{START_SEL}{STOP_SEL}]", headline)):
        if index % 2:
            spans.append((at, at + len(piece)))
        at += len(piece)
    return _marked(text, spans)


def _postgres(passages: QuerySet[Passage], q: str) -> QuerySet[Passage]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    # The same expression as the GIN index of migration 0003, so the planner can use it.
    vector = SearchVector("text", config=CONFIG)
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    headline = SearchHeadline("text", query, config=CONFIG, start_sel=START_SEL, stop_sel=STOP_SEL, highlight_all=True)
    return (
        passages.alias(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query, normalization=Value(1)), headline=headline)
        .order_by("-rank", F("source__published").desc(nulls_last=True), "source_id", "number")
    )


# What comes right before a word in the sources. The fallback matches words from their start ("UN" is
# not in "funding") with LIKE alone: a Python regex function would run inside SQLite for every row.
WORD_STARTS = tuple(" \n\t([{<>“‘«\"'’-–—/*_.,;:!?…")


def _word(word: str) -> Q:
    starts = Q(text__istartswith=word)
    for mark in WORD_STARTS:
        starts |= Q(text__icontains=mark + word)
    return starts


def _fallback(passages: QuerySet[Passage], wanted: list[str], excluded: list[str]) -> QuerySet[Passage]:
    for word in wanted:
        passages = passages.filter(_word(word))
    for word in excluded:
        passages = passages.exclude(_word(word))
    # Passages holding the words as typed, side by side, come first; then newest sources, in reading order.
    phrase = " ".join(wanted)
    first = Case(When(text__icontains=phrase, then=Value(0)), default=Value(1), output_field=IntegerField())
    return passages.annotate(phrase=first).order_by(
        "phrase", F("source__published").desc(nulls_last=True), "source_id", "number"
    )


def passage_search(q: str, *, limit: int = 20, entry: Entry | None = None) -> list[Passage]:
    """Citable passages of every source matching `q`, best first, in one query.

    Each has its `source`, `highlighted` (safe HTML with <mark>) and, given `entry`, `cited` (whether
    that entry already cites it).
    """
    q = q.strip()[:300]
    wanted, excluded = search_terms(q)
    if not wanted:  # nothing asked for (empty, or only exclusions): nothing to rank, nothing found
        return []
    passages = Passage.objects.filter(boilerplate=False).select_related("source")
    if entry is not None:
        passages = passages.annotate(cited=Exists(Citation.objects.filter(entry=entry, passage=OuterRef("pk"))))
    if connection.vendor == "postgresql":
        hits = list(_postgres(passages, q)[:limit])
    else:
        hits = list(_fallback(passages, wanted, excluded)[:limit])
    for hit in hits:
        # An attribute on the row until search returns hits of its own (the search rewrite of issue 10).
        hit.highlighted = _from_headline(hit.text, getattr(hit, "headline", None)) or highlight(hit.text, wanted)  # type: ignore[attr-defined]
    return hits
