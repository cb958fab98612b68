"""Suggested support: passages of every source ranked by how well they could support an entry.

Three signals, added up: the entry's words found in the passage (rarer words count more), the passage's
resolved dates against the entry's date, and how the timeline rates the passage's source. Candidates come
from two bounded queries (passages holding the entry's words, passages dated like it), so the work does
not grow with the number of entries, only with the number of candidates, which is capped.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Prefetch, Q, QuerySet

from factline import dates, search
from factline.models import DateMention, Entry, Passage
from factline.models.ratings import Reliability
from factline.review import reliability_of

MAX_TERMS = 16
CANDIDATES = 200
PREFIX = 6  # "peacekeepers" finds "peacekeeping", "withdrawal" finds "withdrew"
# Words too common in news to tell passages apart (English; other languages simply keep theirs).
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "against",
        "all",
        "also",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "more",
        "most",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
    ]
)
WORD_STARTS = tuple(" \n\t([“‘«\"'’-–—/")
DATE_SAME, DATE_OVERLAP = 2.0, 1.0
RATING = {Reliability.RELIABLE: 0.5, Reliability.MIXED: 0.0, Reliability.UNRELIABLE: -0.5, "": 0.0}


@dataclass
class Suggestion:
    passage: Passage
    score: float
    terms: list[str] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    rating: str = ""

    @property
    def highlighted(self):
        return search.highlight(self.passage.text, self.terms)

    @property
    def words(self) -> list[str]:
        """The passage's words that matched the entry's, as written."""
        found = (re.search(rf"\b{re.escape(t)}\w*", self.passage.text, re.I) for t in self.terms)
        return list(dict.fromkeys(match.group() for match in found if match))


def terms_of(entry: Entry) -> list[str]:
    """The entry's telling words, as prefixes: headline first, then place, tags and body."""
    text = " ".join([entry.headline, entry.place, entry.tags.replace(",", " "), entry.body])
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text)]
    kept = [w[:PREFIX] for w in words if len(w) >= 3 and w not in STOPWORDS]
    return list(dict.fromkeys(kept))[:MAX_TERMS]


def _by_words(passages: QuerySet[Passage], terms: list[str]) -> QuerySet[Passage]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        # The passage finder's stored, GIN-indexed tsvector; any of the words, as prefixes.
        vector = search.stored_vector()
        query = SearchQuery(" | ".join(f"{term}:*" for term in terms), search_type="raw", config=search.CONFIG)
        found = passages.alias(document=vector).filter(document=query)
        return found.annotate(rank=SearchRank(vector, query)).order_by("-rank", "id")
    any_word = Q()
    for term in terms:
        # A word starting with the term: at the start of the text, or after a space or a mark.
        any_word |= Q(text__istartswith=term)
        for mark in WORD_STARTS:
            any_word |= Q(text__icontains=mark + term)
    return passages.filter(any_word).order_by("id")


def _entry_period(entry: Entry) -> tuple[datetime.date, datetime.date]:
    last = dates.last_day(entry.end, entry.end_precision or entry.precision) if entry.end else None
    return entry.start, last or dates.last_day(entry.start, entry.precision)


def _date_score(entry: Entry, mentions: Iterable[DateMention]) -> tuple[float, list[DateMention]]:
    first, last = _entry_period(entry)
    best, agreeing = 0.0, []
    for mention in mentions:
        if mention.value is None:
            continue
        if (mention.value, mention.precision) == (entry.start, entry.precision):
            best = max(best, DATE_SAME)
            agreeing.append(mention)
        elif mention.value <= last and dates.last_day(mention.value, mention.precision) >= first:
            best = max(best, DATE_OVERLAP)
            agreeing.append(mention)
    return best, agreeing


def suggest(entry: Entry, *, limit: int = 10, excluded: set[int] | None = None) -> list[Suggestion]:
    """The passages that could best support `entry`, best first, leaving out those it cites (or `excluded`)."""
    if excluded is None:
        excluded = set(entry.citations.values_list("passage_id", flat=True))
    terms = terms_of(entry)
    citable = Passage.objects.filter(boilerplate=False).exclude(pk__in=excluded)
    ids = list(_by_words(citable, terms).values_list("pk", flat=True)[:CANDIDATES]) if terms else []
    first, last = _entry_period(entry)
    dated = DateMention.objects.filter(value__lte=last, value__gte=first - datetime.timedelta(days=366))
    ids += list(citable.filter(pk__in=dated.values("passage_id")).values_list("pk", flat=True)[:CANDIDATES])
    candidates = list(
        Passage.objects.filter(pk__in=set(ids))
        .select_related("source")
        .defer("source__text")
        .prefetch_related(Prefetch("date_mentions", queryset=DateMention.objects.order_by("start")))
    )
    ratings = reliability_of(entry.timeline_id, {p.source_id for p in candidates})
    lowered = {p.pk: p.text.lower() for p in candidates}
    found = {p.pk: [t for t in terms if re.search(rf"\b{re.escape(t)}", lowered[p.pk])] for p in candidates}
    frequency = {t: sum(t in words for words in found.values()) for t in terms}
    scored = []
    for passage in candidates:
        words = found[passage.pk]
        word_score = sum(math.log(1 + len(candidates) / frequency[t]) for t in words)
        date_score, agreeing = _date_score(entry, passage.date_mentions.all())
        rating = ratings.get(passage.source_id, "")
        if not words and not agreeing:
            continue
        score = word_score + date_score + RATING.get(rating, 0.0)
        scored.append(Suggestion(passage, score, words, agreeing, rating))
    scored.sort(key=lambda s: (-s.score, s.passage.source_id, s.passage.number))
    return scored[:limit]


def recall(entries: Iterable[Entry], ks: tuple[int, ...] = (5, 10)) -> tuple[dict[int, float], int]:
    """Hide each passage an entry cites, in turn, and see whether it comes back in the top k: recall at each k."""
    hits = dict.fromkeys(ks, 0)
    trials = 0
    for entry in entries:
        cited = set(entry.citations.values_list("passage_id", flat=True))
        for hidden in sorted(cited):
            ranked = [s.passage.pk for s in suggest(entry, limit=max(ks), excluded=cited - {hidden})]
            trials += 1
            for k in ks:
                hits[k] += hidden in ranked[:k]
    return {k: hits[k] / trials if trials else 0.0 for k in ks}, trials
