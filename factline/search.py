"""Finding citable passages by full-text search, the same way on SQLite (FTS5) and PostgreSQL (tsvector).

The finder's query is parsed here, never handed to a database's own query syntax: words, "phrases",
prefixes (`word*`) and exclusions (`-word`, `-"a phrase"`) become a safe FTS5 MATCH expression or a
tsquery built from word characters only, so no input can make a syntax error. Both databases stem
English words, skip the same stop words and rank denser matches first (bm25 / ts_rank).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from factline import limits
from factline.models import Citation, Entry, Passage

CONFIG = "english"
MAX_QUERY = limits.SEARCH_QUERY_MAX
MAX_TERMS = 12
MAX_PHRASE_WORDS = 12
MIN_PREFIX = 2
FTS_TABLE = "factline_passage_fts"
# The highlighters mark matches with these private-use characters; the text is escaped first, then they become <mark>.
START_SEL, STOP_SEL = "\ue000", "\ue001"

# PostgreSQL's English stop words: left out of the query on both databases, so both answer alike.
_STOP_WORDS = """i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is are
    was were be been being have has had having do does did doing a an the and but if or because as until while
    of at by for with about against between into through during before after above below to from up down in out
    on off over under again further then once here there when where why how all any both each few more most
    other some such no nor not only own same so than too very s t can will just don should now"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass(frozen=True)
class Term:
    """One thing the query asks for (or, negated, excludes): a word, or a phrase of words side by side."""

    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


def _apostrophe(word: str) -> str:
    """A possessive ("Mali's", "Mali’s") is cut at its apostrophe, an elision ("l'ONU", "d’Afrique") after it.

    The sources use curly apostrophes and people type straight ones, so neither is searched for.
    """
    parts = re.split(r"['’]", word)
    if len(parts) > 1 and len(parts[0]) <= 2 and parts[-1] not in ("s", ""):
        return parts[-1]
    return parts[0]


# Letters and digits, joined by inner dots ("u.s", which PostgreSQL keeps whole): nothing either database reads
# as syntax. A hyphenated word becomes a phrase of its parts ("al-qaeda" → al qaeda), which both index.
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*")


def _words(text: str) -> list[str]:
    words: list[str] = []
    for piece in text.split():
        words += _WORD.findall(_apostrophe(piece).lower())
    return words[:MAX_PHRASE_WORDS]


_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(q: str) -> list[Term]:
    """The terms of a finder query, at most MAX_TERMS, none empty; anything unreadable is dropped."""
    terms: list[Term] = []
    for negation, phrase, bare in _TOKEN.findall(q[:MAX_QUERY].replace("\x00", " ")):
        text = bare or phrase
        negated = bool(negation) or (bool(bare) and bare.startswith("-") and len(bare) > 1)
        text = text.lstrip("-") if bare else text
        prefix = text.rstrip().endswith("*")
        words = _words(text.replace("*", " "))
        if not words:
            continue
        if bare and len(words) == 1 and not prefix and not negated and words[0] in ("or", "and"):
            continue
        if len(words) == 1 and words[0] in STOP_WORDS and not prefix:
            continue  # PostgreSQL would drop it; so does SQLite, to answer alike
        terms.append(Term(tuple(words), prefix and len(words[-1]) >= MIN_PREFIX, negated))
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def search_terms(q: str) -> tuple[list[str], list[str]]:
    """The words a query asks for and the words it excludes, for highlighting."""
    terms = parse(q)
    wanted = [word for term in terms if not term.negated for word in term.words]
    excluded = [word for term in terms if term.negated for word in term.words]
    return list(dict.fromkeys(wanted)), list(dict.fromkeys(excluded))


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: every word quoted, so nothing the user typed is FTS5 syntax."""

    def one(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    wanted = " AND ".join(one(term) for term in terms if not term.negated)
    excluded = "".join(f" NOT {one(term)}" for term in terms if term.negated)
    return f"({wanted}){excluded}"


def tsquery(terms: list[Term]) -> str:
    """A to_tsquery() string: words are letters and digits only, joined by our own operators."""

    def one(term: Term) -> str:
        words = list(term.words)
        if term.prefix:
            words[-1] += ":*"
        text = " <-> ".join(words)
        if term.negated:
            return f"!({text})"
        return f"({text})" if len(words) > 1 else text

    return " & ".join(one(term) for term in terms)


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
    """The highlight the database chose, when it kept the passage's text intact around its markers."""
    if not headline or headline.replace(START_SEL, "").replace(STOP_SEL, "") != text:
        return None
    spans, at = [], 0
    # Split on the markers: the odd pieces are the marked words.
    for index, piece in enumerate(re.split(f"[{START_SEL}{STOP_SEL}]", headline)):
        if index % 2:
            spans.append((at, at + len(piece)))
        at += len(piece)
    return _marked(text, spans)


def stored_vector() -> RawSQL:
    """The stored, GIN-indexed tsvector column of migration 0008 (PostgreSQL only; the model does not know it)."""
    from django.contrib.postgres.search import SearchVectorField

    return RawSQL('"factline_passage"."search_vector"', [], output_field=SearchVectorField())


def _postgres(passages: QuerySet[Passage], query: str) -> QuerySet[Passage]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    vector = stored_vector()
    tsq = SearchQuery(query, search_type="raw", config=CONFIG)
    headline = SearchHeadline("text", tsq, config=CONFIG, start_sel=START_SEL, stop_sel=STOP_SEL, highlight_all=True)
    return (
        passages.alias(document=vector)
        .filter(document=tsq)
        .annotate(rank=SearchRank(vector, tsq, normalization=Value(1)), headline=headline)
        .order_by("-rank", F("source__published").desc(nulls_last=True), "source_id", "number")
    )


# bm25 through FTS5's own `rank` column; ties as PostgreSQL breaks them (newer sources first).
_SQLITE_ORDER = "f.rank, s.published IS NULL, s.published DESC, p.source_id, p.number"
_SQLITE_FROM = f"""
    FROM {FTS_TABLE} AS f
    JOIN factline_passage AS p ON p.id = f.rowid
    JOIN factline_source AS s ON s.id = p.source_id
    WHERE {FTS_TABLE} MATCH %s AND NOT p.boilerplate
"""
# The best hits' ids, then (in the same statement) the highlight of those few only.
SQLITE_RANKED = f"""
    SELECT f.rowid, highlight({FTS_TABLE}, 0, %s, %s) {_SQLITE_FROM}
    AND f.rowid IN (SELECT p.id {_SQLITE_FROM} ORDER BY {_SQLITE_ORDER} LIMIT %s)
    ORDER BY {_SQLITE_ORDER}
"""


def _sqlite(passages: QuerySet[Passage], match: str, limit: int) -> list[Passage]:
    """The best `limit` hits, ranked by FTS5's bm25 and cut by LIMIT in the database; then their rows.

    Auxiliary functions (bm25, highlight) read the MATCH of the query they are in, so asking for them per
    hit in a correlated subquery re-ran the whole match for every hit (quadratic: 34 s at 50,000 passages
    for a common word). Here the match runs twice in all, and highlight() only on the rows kept.
    """
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_RANKED, [START_SEL, STOP_SEL, match, match, limit])
        headlines = dict(cursor.fetchall())
    if not headlines:
        return []
    rows = passages.in_bulk(list(headlines))
    hits = [rows[pk] for pk in headlines if pk in rows]
    for hit in hits:
        hit.headline = headlines[hit.pk]  # type: ignore[attr-defined]
    return hits


def passage_search(q: str, *, limit: int = 20, entry: Entry | None = None) -> list[Passage]:
    """Citable passages of every source matching `q`, best first: one query (PostgreSQL), two (SQLite).

    Each has its `source`, `highlighted` (safe HTML with <mark>) and, given `entry`, `cited` (whether
    that entry already cites it).
    """
    terms = parse(q.strip())
    if not any(not term.negated for term in terms):  # nothing asked for (empty, or only exclusions)
        return []
    passages = Passage.objects.filter(boilerplate=False).select_related("source").defer("source__text")
    if entry is not None:
        passages = passages.annotate(cited=Exists(Citation.objects.filter(entry=entry, passage=OuterRef("pk"))))
    if connection.vendor == "postgresql":
        hits = list(_postgres(passages, tsquery(terms))[:limit])
    else:
        hits = _sqlite(passages, fts5_query(terms), limit)
    wanted = search_terms(q)[0]
    for hit in hits:
        # An attribute on the row until search returns hits of its own (the search rewrite of issue 10).
        hit.highlighted = _from_headline(hit.text, getattr(hit, "headline", None)) or highlight(hit.text, wanted)  # type: ignore[attr-defined]
    return hits
