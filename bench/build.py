"""The large instance `make bench` measures, built in bulk but with every history row the app would keep.

Sources, passages, entries, citations, ratings and timelines go in through simple-history's
bulk_create_with_history / bulk_update_with_history / bulk_history_create, so each row has the
history a service would have written (its action, and a date spread over the past weeks); the few
things that have a service of their own and happen once (the timeline, its public link) use it.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from factline.forms import EntryForm
from factline.models import Citation, Entry, Membership, Passage, Source, SourceRating, Timeline
from factline.models.changes import Action
from factline.models.ratings import Reliability
from factline.models.timelines import Role, Stance, Status
from factline.services import timeline_create, timeline_share

PASSWORD = "bench-password-not-secret"
BATCH = 2000

# News-like words: a few very common ones (what "common words" searches hit), then a long tail.
COMMON = """mission mali government said security forces troops united nations people""".split()  # noqa: SIM905
TAIL = """withdrawal peacekeepers council bamako junta coup wagner gao timbuktu kidal niger burkina sahel
    jihadist attack convoy ceasefire agreement election transition sanctions ecowas minusma barkhane france
    russia algeria mediation rebels tuareg azawad northern central mopti drone camp base handover deadline
    resolution vote unanimous mandate budget casualties refugees displaced humanitarian aid report envoy
    spokesperson minister president colonel goita keita prime interim constitution referendum protest
    curfew border militia dozo fulani village massacre investigation rights abuses journalist expelled
    airport runway helicopter logistics contingent chad senegal egypt germany sweden britain""".split()  # noqa: SIM905
FILLER = """the of in and to a on for was with by that at from as after its their has had were""".split()  # noqa: SIM905


@dataclass
class Sizes:
    """How big the instance is; `make bench` uses the issue's numbers, the tests much smaller ones."""

    entries: int = 1000
    citations_per_entry: int = 3
    sources: int = 50
    passages: int = 50_000
    revisions: int = 1000
    timelines: int = 1000


@dataclass
class Built:
    """What the bench needs to know about what was built: who logs in, and where things are."""

    owner: str
    password: str
    slug: str
    public_token: str
    revised_entry: int
    as_of: str
    entries: list[dict[str, Any]] = field(default_factory=list)  # published entries, for saves
    counts: dict[str, int] = field(default_factory=dict)


def _first_day(day: datetime.date, precision: str) -> datetime.date:
    """Where an entry of `precision` starts: its period's first day, as the app stores it."""
    if precision == "year":
        return day.replace(month=1, day=1)
    return day.replace(day=1) if precision == "month" else day


def sentence(rng: random.Random, words: int) -> str:
    picked = []
    for _ in range(words):
        roll = rng.random()
        pool = COMMON if roll < 0.12 else FILLER if roll < 0.55 else TAIL
        picked.append(rng.choice(pool))
    picked[0] = picked[0].capitalize()
    return " ".join(picked) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(2, 3)))


def _sources(rng: random.Random, sizes: Sizes, owner: User, when: datetime.datetime) -> list[Source]:
    per_source = sizes.passages // sizes.sources
    sources, texts = [], []
    for n in range(sizes.sources):
        paragraphs = [f"Bench article {n}"] + [paragraph(rng) for _ in range(per_source - 1)]
        text = "\n\n".join(paragraphs)
        texts.append(paragraphs)
        digest = hashlib.sha256(text.encode()).hexdigest()
        source = Source(
            title=f"Bench article {n}",
            publisher=f"Publisher {n % 7}",
            author=f"Reporter {n % 11}",
            url=f"https://news.example/{n}",
            published=datetime.date(2012 + n % 12, 1 + n % 12, 1 + n % 28),
            text=text,
            origin=f"bench-{n}.txt",
            checksum=digest,
            text_hash=hashlib.sha256(("norm:" + text).encode()).hexdigest(),
        )
        source._history_date = when  # type: ignore[attr-defined]
        sources.append(source)
    imported = {"history_action": Action.IMPORTED, "history_note": "Imported"}
    bulk_create_with_history(sources, Source, batch_size=100, default_user=owner, custom_historical_attrs=imported)
    sources = list(Source.objects.order_by("id").defer("text"))
    passages = []
    for source, paragraphs in zip(sources, texts, strict=True):
        at = 0
        for number, text in enumerate(paragraphs, start=1):
            noise = number % 50 == 49  # an ad now and then: stored, never citable
            passages.append(
                Passage(
                    source=source,
                    number=number,
                    start=at,
                    end=at + len(text),
                    text=text,
                    kind="title" if number == 1 else "paragraph",
                    boilerplate=noise,
                    boilerplate_reason="advertisement" if noise else "",
                )
            )
            at += len(text) + 2
    bulk_create_with_history(
        passages, Passage, batch_size=BATCH, default_user=owner, default_date=when, custom_historical_attrs=imported
    )
    return sources


def build(sizes: Sizes | None = None, *, seed: int = 11) -> Built:
    """Build the instance in the current database (empty, migrated) and say where its pages are."""
    sizes = sizes or Sizes()
    rng = random.Random(seed)
    users = get_user_model().objects
    owner = users.create_user(username="bench-owner", email="owner@bench.example", password=PASSWORD)
    newsroom = users.create_user(username="bench-newsroom", email="newsroom@bench.example", password=PASSWORD)
    now = timezone.now()
    start = now - datetime.timedelta(days=30)

    sources = _sources(rng, sizes, owner, start)
    timeline = timeline_create(actor=owner, title="Mali 2012–2024 (bench)", description="The big timeline.")
    # Made before its entries, like everything here (the as-of page refuses moments before it existed).
    made = start - datetime.timedelta(hours=1)
    Timeline.objects.filter(pk=timeline.pk).update(created=made)
    Timeline.history.filter(id=timeline.pk).update(history_date=made)
    Membership.history.filter(timeline_id=timeline.pk).update(history_date=made)
    citable = list(
        Passage.objects.filter(boilerplate=False, number__gt=1).values_list("id", "source_id", "text").order_by("id")
    )

    # Entries: made (drafts), cited, then published, an hour apart each, over the month.
    step = datetime.timedelta(days=20) / max(sizes.entries, 1)
    entries = []
    for i in range(sizes.entries):
        precision = ("day", "month", "year")[i % 3]
        entry = Entry(
            timeline=timeline,
            start=_first_day(datetime.date(2012 + i % 13, 1 + (i * 7) % 12, 1 + (i * 11) % 28), precision),
            precision=precision,
            headline=f"Event {i}: {sentence(rng, 6)}"[:300],
            body=f"{paragraph(rng)}\n\n*Note*: {sentence(rng, 8)}",
            place=rng.choice(["Bamako", "Gao", "Timbuktu", "Kidal", "Mopti", ""]),
            tags=", ".join(sorted({rng.choice(TAIL) for _ in range(2)})),
        )
        entry._history_date = start + i * step  # type: ignore[attr-defined]
        entries.append(entry)
    created = {"history_action": Action.CREATED, "history_note": ""}
    bulk_create_with_history(entries, Entry, batch_size=BATCH, default_user=owner, custom_historical_attrs=created)
    entries = list(Entry.objects.filter(timeline=timeline).order_by("id"))

    citations = []
    stances = [Stance.SUPPORTS, Stance.CONTEXT, Stance.SUPPORTS]
    for i, entry in enumerate(entries):
        for k in range(sizes.citations_per_entry):
            passage_id, _, text = citable[(i * 97 + k * 7919) % len(citable)]
            stance = Stance.CONTRADICTS if (k == 1 and i % 10 == 0) else stances[k % 3]
            end = text.find(".") + 1 or len(text)
            citation = Citation(
                entry=entry,
                passage_id=passage_id,
                stance=stance,
                quote=text[:end],
                start=0,
                end=end,
                suffix=text[end : end + 32],
            )
            citation._history_date = start + i * step + datetime.timedelta(seconds=1 + k)  # type: ignore[attr-defined]
            citations.append(citation)
    cited = {"history_action": Action.CITED, "history_note": ""}
    bulk_create_with_history(citations, Citation, batch_size=BATCH, default_user=owner, custom_historical_attrs=cited)

    for i, entry in enumerate(entries):
        entry.status, entry.version = Status.PUBLISHED, 2
        entry._history_date = start + i * step + datetime.timedelta(minutes=1)  # type: ignore[attr-defined]
    published = {"history_action": Action.PUBLISHED, "history_note": "Published"}
    bulk_update_with_history(
        entries,
        Entry,
        ["status", "version"],
        batch_size=BATCH,
        default_user=owner,
        custom_historical_attrs=published,
    )

    ratings = []
    for n, source in enumerate(sources):
        rating = SourceRating(
            timeline=timeline,
            source=source,
            reliability=(Reliability.RELIABLE, Reliability.MIXED, Reliability.UNRELIABLE)[n % 3],
            reason=sentence(rng, 10),
        )
        rating._history_date = start + datetime.timedelta(days=21)  # type: ignore[attr-defined]
        ratings.append(rating)
    rated = {"history_action": Action.CREATED, "history_note": ""}
    bulk_create_with_history(ratings, SourceRating, default_user=owner, custom_historical_attrs=rated)

    # One entry edited again and again: its history page and comparisons read every revision.
    revised = entries[len(entries) // 2]
    as_of = start + datetime.timedelta(days=22)
    span = (now - datetime.timedelta(days=1) - as_of) / max(sizes.revisions, 1)
    revisions = []
    for n in range(sizes.revisions):
        copy = Entry(**{f.attname: getattr(revised, f.attname) for f in Entry._meta.concrete_fields})
        copy.version = 3 + n
        copy.headline = f"{revised.headline.split(':')[0]}: revision {n} {sentence(rng, 5)}"[:300]
        copy.body = f"{paragraph(rng)}\n\n*Note*: revision {n}."
        copy._history_date = as_of + (n + 1) * span  # type: ignore[attr-defined]
        copy._change_reason = f"Revision {n}"  # type: ignore[attr-defined]
        revisions.append(copy)
    edited = {"history_action": Action.EDITED, "history_note": ""}
    Entry.history.bulk_history_create(
        revisions, update=True, batch_size=BATCH, default_user=owner, custom_historical_attrs=edited
    )
    if revisions:
        last = revisions[-1]
        Entry.objects.filter(pk=revised.pk).update(version=last.version, headline=last.headline, body=last.body)

    # A newsroom's other timelines: a thousand of them, each with its owner.
    others = [
        Timeline(slug=f"desk-{n:04d}", title=f"Desk {n:04d}", description=sentence(rng, 8))
        for n in range(sizes.timelines)
    ]
    bulk_create_with_history(others, Timeline, batch_size=BATCH, default_user=newsroom, custom_historical_attrs=created)
    memberships = [
        Membership(timeline=t, user=newsroom, role=Role.OWNER)
        for t in Timeline.objects.filter(slug__startswith="desk-")
    ]
    bulk_create_with_history(
        memberships,
        Membership,
        batch_size=BATCH,
        default_user=newsroom,
        custom_historical_attrs={"history_action": Action.MEMBER_SET, "history_note": ""},
    )

    timeline = timeline_share(timeline=timeline, actor=owner)
    saves = [e for e in Entry.objects.filter(timeline=timeline).exclude(pk=revised.pk).order_by("id")[:8]]
    return Built(
        owner=owner.username,
        password=PASSWORD,
        slug=timeline.slug,
        public_token=timeline.public_token or "",
        revised_entry=revised.pk,
        as_of=as_of.strftime("%Y-%m-%d %H:%M:%S"),
        entries=[{"id": e.pk, **EntryForm.initial_for(e)} for e in saves],
        counts={
            "timelines": Timeline.objects.count(),
            "entries": Entry.objects.filter(timeline=timeline).count(),
            "citations": Citation.objects.filter(entry__timeline=timeline).count(),
            "sources": Source.objects.count(),
            "passages": Passage.objects.count(),
            "revisions_of_one_entry": Entry.history.filter(id=revised.pk).count(),
            "historical_rows": sum(
                model.history.count() for model in (Entry, Citation, Passage, Source, Timeline, Membership)
            ),
        },
    )
