"""What needs an editor's attention: a small set of pluggable rules, read by the review queue and `verify_citations`.

A rule is a function registered with `@rule(...)`: given a queryset of entries, it returns its findings in
a fixed number of queries, however many entries there are. Each finding names an entry (and, where it
is about one, a citation) and says in words what is wrong. Rules marked `verify=True` are also run by
`manage.py verify_citations` over every timeline.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from factline.models import Citation, Entry, SourceRating
from factline.models.ratings import Reliability
from factline.models.timelines import Stance, Status

STALE_DRAFT_AGE = datetime.timedelta(days=7)

# What the queue offers to do about a finding: an entry page (its name is the route, reversed with slug and pk).
CITE, SUGGEST, OPEN, EDIT, HISTORY, REVIEW = (
    "entry-cite",
    "entry-suggest",
    "entry-detail",
    "entry-edit",
    "entry-history",
    "entry-review",
)


@dataclass(frozen=True)
class Finding:
    entry_id: int
    detail: str = ""
    citation_id: int | None = None


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    reason: str
    check: Callable[[QuerySet[Entry]], Iterable[Finding]]
    action: str
    action_label: str
    verify: bool = False
    # A judgement an editor can settle by marking the entry reviewed (until it changes again); integrity
    # failures and waiting approvals stay until they are fixed.
    dismissable: bool = True


RULES: list[Rule] = []


def rule(
    *,
    name: str,
    title: str,
    reason: str,
    action: str,
    action_label: str,
    verify: bool = False,
    dismissable: bool = True,
):
    """Register a check: `check(entries) -> findings`, in a number of queries that does not grow with the entries."""

    def register(check: Callable[[QuerySet[Entry]], Iterable[Finding]]):
        RULES.append(Rule(name, title, reason, check, action, action_label, verify, dismissable))
        return check

    return register


def reliability_of(timeline_id: int | None, source_ids: Iterable[int]) -> dict[int, str]:
    """How the timeline rates each source ("reliable", "mixed", "unreliable"; unrated ones are left out): one query."""
    if timeline_id is None:
        return {}
    rated = SourceRating.objects.filter(timeline_id=timeline_id, source_id__in=set(source_ids))
    return dict(rated.values_list("source_id", "reliability"))


def _supporting(entries: QuerySet[Entry]) -> QuerySet[Citation]:
    return Citation.objects.filter(entry__in=entries.values("pk"), stance=Stance.SUPPORTS)


@rule(
    name="single-source",
    title="Rests on a single source",
    reason="Published, and every supporting citation comes from one source.",
    action=SUGGEST,
    action_label="Suggest sources",
)
def single_source(entries: QuerySet[Entry]) -> Iterable[Finding]:
    sources = Count("citations__passage__source", filter=Q(citations__stance=Stance.SUPPORTS), distinct=True)
    found = entries.filter(status=Status.PUBLISHED).annotate(sources=sources).filter(sources=1)
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="weak-support",
    title="Supported only by sources rated mixed or unreliable",
    reason="Every source that supports it is rated mixed or unreliable on this timeline.",
    action=SUGGEST,
    action_label="Suggest sources",
)
def weak_support(entries: QuerySet[Entry]) -> Iterable[Finding]:
    pairs = list(_supporting(entries).values_list("entry_id", "entry__timeline_id", "passage__source_id").distinct())
    by_timeline: dict[int, set[int]] = defaultdict(set)
    for _, timeline_id, source_id in pairs:
        by_timeline[timeline_id].add(source_id)
    ratings = {t: reliability_of(t, ids) for t, ids in by_timeline.items()}  # one timeline on the queue's page
    rated: dict[int, set[str]] = defaultdict(set)
    for entry_id, timeline_id, source_id in pairs:
        rated[entry_id].add(ratings[timeline_id].get(source_id, ""))
    weak = {Reliability.MIXED, Reliability.UNRELIABLE}
    return [Finding(pk, ", ".join(sorted(r))) for pk, r in sorted(rated.items()) if r <= weak]


@rule(
    name="disputed",
    title="Disputed",
    reason="Some citations support it and others contradict it: settle it, or say so in its body.",
    action=OPEN,
    action_label="Open the entry",
)
def disputed(entries: QuerySet[Entry]) -> Iterable[Finding]:
    supports = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.SUPPORTS)
    contradicts = Citation.objects.filter(entry=OuterRef("pk"), stance=Stance.CONTRADICTS)
    found = entries.filter(Exists(supports), Exists(contradicts))
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="stale-draft",
    title="Draft for more than a week",
    reason="Still a draft a week after it was written: publish it, or delete it.",
    action=EDIT,
    action_label="Edit",
)
def stale_draft(entries: QuerySet[Entry]) -> Iterable[Finding]:
    found = entries.filter(status=Status.DRAFT, created__lt=timezone.now() - STALE_DRAFT_AGE)
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


def unverified_citations(citations: QuerySet[Citation]) -> QuerySet[Citation]:
    """Citations whose quote is not at its offsets in its passage, or whose passage is no longer its source's text.

    Compared in the database (SQL counts characters, as Python does), so no text travels for the ones that hold.
    """
    quote_there = Substr("passage__text", F("start") + 1, F("end") - F("start"))
    passage_there = Substr("passage__source__text", F("passage__start") + 1, F("passage__end") - F("passage__start"))
    return citations.annotate(
        at_offsets=quote_there,
        in_source=passage_there,
        quote_length=Length("quote"),
        passage_length=Length("passage__text"),
    ).exclude(
        Q(at_offsets=F("quote"))
        & Q(in_source=F("passage__text"))
        & Q(quote_length=F("end") - F("start"))
        & Q(passage_length=F("passage__end") - F("passage__start"))
        & Q(passage__boilerplate=False)
    )


def why_unverified(citation: Citation) -> str:
    """What is wrong with a citation `unverified_citations` found, in words."""
    passage = citation.passage
    if passage.boilerplate:
        return f"¶{passage.number} is boilerplate ({passage.boilerplate_reason}) and cannot be cited"
    if passage.source.text[passage.start : passage.end] != passage.text:
        return f"¶{passage.number} is no longer its source's text between offsets {passage.start} and {passage.end}"
    return f"the quote is not at offsets {citation.start}–{citation.end} of ¶{passage.number}"


@rule(
    name="unverified",
    title="A citation no longer verifies",
    reason="A quote is not at its place in its passage, or the passage changed.",
    action=OPEN,
    action_label="Open the entry",
    verify=True,
    dismissable=False,
)
def unverified(entries: QuerySet[Entry]) -> Iterable[Finding]:
    citations = unverified_citations(Citation.objects.filter(entry__in=entries.values("pk")))
    found = citations.select_related("passage__source").order_by("entry_id", "id")
    return [Finding(c.entry_id, why_unverified(c), c.pk) for c in found]


@rule(
    name="changed-since-review",
    title="Changed since it was last reviewed",
    reason="Edited, or its citations changed, after someone marked it reviewed.",
    action=HISTORY,
    action_label="See what changed",
    dismissable=False,
)
def changed_since_review(entries: QuerySet[Entry]) -> Iterable[Finding]:
    cited_since = Citation.history.filter(entry_id=OuterRef("pk"), history_date__gt=OuterRef("reviewed_at"))
    found = entries.filter(reviewed_at__isnull=False).filter(Q(version__gt=F("reviewed_version")) | Exists(cited_since))
    return [Finding(pk) for pk in found.values_list("pk", flat=True)]


@rule(
    name="awaiting-review",
    title="Waiting for approval",
    reason="An editor asked for it to be published; another editor approves it or sends it back.",
    action=REVIEW,
    action_label="Review",
    dismissable=False,
)
def awaiting_review(entries: QuerySet[Entry]) -> Iterable[Finding]:
    found = entries.filter(status=Status.DRAFT, review_requested_at__isnull=False)
    return [
        Finding(pk, f"asked by {who or 'someone'}")
        for pk, who in found.values_list("pk", "review_requested_by__username")
    ]


# -- the queue --


@dataclass
class Item:
    """One entry of the queue with every reason it is there."""

    entry: Entry
    reasons: list[tuple[Rule, Finding]] = field(default_factory=list)


def queue(entries: QuerySet[Entry], rules: Iterable[Rule] | None = None) -> list[Item]:
    """The entries some rule finds, in date order, each with its reasons: a query or two per rule, one for entries.

    An entry marked reviewed since it last changed keeps only the reasons a review cannot settle.
    """
    found: dict[int, list[tuple[Rule, Finding]]] = defaultdict(list)
    for each in rules if rules is not None else RULES:
        for finding in each.check(entries):
            found[finding.entry_id].append((each, finding))
    if not found:
        return []
    changed = {pk for pk, reasons in found.items() for each, _ in reasons if each.name == "changed-since-review"}
    listed = entries.filter(pk__in=list(found)).select_related("reviewed_by").order_by("start", "id")
    items = []
    for entry in listed:
        reasons = found[entry.pk]
        if entry.reviewed_at is not None and entry.pk not in changed:
            reasons = [(each, finding) for each, finding in reasons if not each.dismissable]
        if reasons:
            items.append(Item(entry, reasons))
    return items


def verify(entries: QuerySet[Entry] | None = None) -> list[tuple[Rule, Finding]]:
    """What the `verify=True` rules find over `entries` (every entry by default)."""
    entries = entries if entries is not None else Entry.objects.all()
    return [(each, finding) for each in RULES if each.verify for finding in each.check(entries)]
