"""Public and snapshot pages built once per change: the cache, its settings, the stamps, and never a stale page."""

import datetime
import os

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from factline.cache import BoundedLocMemCache, caches_from_url
from factline.models import Citation, Entry, Snapshot, Timeline
from factline.models.timelines import Role, Stance, Status
from factline.presentation.downloads import FORMATS
from factline.services import (
    citation_create,
    citation_delete,
    entry_delete,
    entry_restore,
    entry_revert,
    entry_set_status,
    entry_update,
    membership_set,
    snapshot_create,
    snapshot_revoke,
    source_rate,
    source_update,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
    timeline_update,
)
from tests.test_public import build_story

# -- the byte-bounded local-memory cache --


def bounded(max_bytes: int, name: str) -> BoundedLocMemCache:
    made = BoundedLocMemCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 1_000_000}})
    made.clear()
    return made


def test_the_local_cache_evicts_the_least_recently_used_beyond_its_budget_in_bytes():
    small = bounded(10_000, "test-evict")
    for n in range(5):
        small.set(f"page{n}", b"x" * 2_000)
    assert small.total_bytes <= 10_000
    assert small.get("page0") is None  # the oldest went first
    assert small.get("page4") == b"x" * 2_000
    small.get("page1")  # used: now the most recent, so page2 is the least recently used
    small.set("page5", b"y" * 2_000)
    assert small.get("page1") is not None and small.get("page2") is None and small.get("page3") is not None


def test_an_entry_larger_than_the_whole_budget_is_never_kept_and_sizes_stay_counted():
    small = bounded(10_000, "test-large")
    small.set("a", b"x" * 1_000)
    small.set("huge", b"x" * 20_000)
    assert small.get("huge") is None and small.get("a") is not None
    small.set("a", b"x" * 3_000)  # replaced, not counted twice
    before = small.total_bytes
    assert 3_000 < before < 4_000
    small.delete("a")
    assert small.total_bytes == 0
    small.set("n", 1)
    assert small.incr("n", 5) == 6 and small.get("n") == 6
    small.clear()
    assert small.total_bytes == 0 and small.get("n") is None


def test_many_pages_never_take_more_than_the_budget():
    small = bounded(50_000, "test-many")
    for n in range(500):
        small.set(f"k{n}", os.urandom(n * 10))
    assert small.total_bytes <= 50_000
    assert len(small._cache) == len(small._sizes)


# -- CACHE_URL --


def test_cache_url_names_the_backend():
    assert caches_from_url("")["default"]["BACKEND"] == "factline.cache.BoundedLocMemCache"
    assert caches_from_url("locmem://?max_bytes=1000")["default"]["OPTIONS"]["MAX_BYTES"] == 1000
    db = caches_from_url("db://factline_cache?timeout=60")["default"]
    assert (db["BACKEND"], db["LOCATION"], db["TIMEOUT"]) == (
        "django.core.cache.backends.db.DatabaseCache",
        "factline_cache",
        60,
    )
    redis = caches_from_url("redis://127.0.0.1:6379/2?prefix=site2")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert (redis["LOCATION"], redis["KEY_PREFIX"]) == ("redis://127.0.0.1:6379/2", "site2")


@pytest.mark.parametrize("url", ["memcached://x", "locmem://?max_bytes=lots", "locmem://?size=1", "db://"])
def test_a_cache_url_that_cannot_be_read_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL"):
        caches_from_url(url)


def test_the_redis_backend_keeps_and_forgets():
    from django.core.cache.backends.redis import RedisCache

    settings = caches_from_url("redis://127.0.0.1:6379/13?prefix=factline-tests")["default"]
    redis = RedisCache(settings["LOCATION"], {**settings, "OPTIONS": {"socket_connect_timeout": 1}})
    try:
        redis.set("probe", b"page", 30)
    except Exception as error:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip(f"Redis is not reachable at 127.0.0.1:6379 ({error}); CI=true makes it mandatory")
    assert redis.get("probe") == b"page"
    redis.delete("probe")
    assert redis.get("probe") is None


# -- the stamps --


@pytest.fixture
def story(make_user, source):
    return build_story(make_user, source)


def stamps(timeline: Timeline) -> tuple[int, int]:
    row = Timeline.objects.values_list("stamp", "published_stamp").get(pk=timeline.pk)
    return row[0], row[1]


def test_draft_work_moves_the_stamp_and_not_the_public_one(story):
    before = stamps(story.timeline)
    entry_update(entry=story.draft, actor=story.owner, headline="Still a draft")
    after = stamps(story.timeline)
    assert after[0] == before[0] + 1 and after[1] == before[1]
    entry_update(entry=story.vote, actor=story.owner, headline="Changed in public")
    assert stamps(story.timeline) == (after[0] + 1, after[1] + 1)


def test_saving_a_timeline_read_before_a_change_keeps_the_newer_stamps(story):
    stale = Timeline.objects.get(pk=story.timeline.pk)
    entry_update(entry=story.vote, actor=story.owner, headline="Changed meanwhile")
    moved = stamps(story.timeline)
    stale.description = "Saved from an old copy"
    stale.save()  # not written back: moved on, by the save's own history row
    assert stamps(story.timeline) == (moved[0] + 1, moved[1] + 1)


# -- pages served from the cache --


def addresses(story) -> dict[str, str]:
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    token = Timeline.objects.get(pk=story.timeline.pk).public_token
    passage = story.vote.citations.get(stance=Stance.SUPPORTS).passage_id
    found = {}
    for kind, route, key in (
        ("link", "public", token),
        ("listed", "listed", story.timeline.slug),
        ("snapshot", "snapshot", snapshot.token),
    ):
        found[f"{kind} page"] = reverse(f"{route}-timeline", args=[key])
        found[f"{kind} passage"] = reverse(f"{route}-passage", args=[key, passage])
        for fmt in FORMATS:
            found[f"{kind} {fmt}"] = reverse(f"{route}-export", args=[key, fmt])
        if kind != "listed":
            found[f"{kind} embed"] = reverse(f"{route}-embed", args=[key])
    return found


def test_a_page_from_the_cache_costs_two_queries_and_a_304_one(client, story, django_assert_max_num_queries):
    for name, url in addresses(story).items():
        first = client.get(url)
        assert first.status_code == 200, name
        with django_assert_max_num_queries(2):
            again = client.get(url)
        assert again.content == first.content, name
        assert (again["ETag"], again["Cache-Control"], again.get("X-Robots-Tag")) == (
            first["ETag"],
            first["Cache-Control"],
            first.get("X-Robots-Tag"),
        ), name
        with django_assert_max_num_queries(1):
            assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304, name


def test_a_snapshot_is_immutable_and_a_live_page_revalidates(client, story):
    urls = addresses(story)
    snapshot = client.get(urls["snapshot page"])
    assert "immutable" in snapshot["Cache-Control"] and "public" in snapshot["Cache-Control"]
    assert "max-age=" in snapshot["Cache-Control"]
    assert client.get(urls["link page"])["Cache-Control"] == "no-cache"
    embed = client.get(urls["link embed"])
    again = client.get(urls["link embed"])  # from the cache: still framable, as allow_framing said
    assert "X-Frame-Options" not in again and "frame-ancestors *" in again["Content-Security-Policy"]
    assert "X-Frame-Options" not in embed


def test_a_withdrawn_snapshot_or_link_is_gone_at_once_even_when_cached(client, story):
    urls = addresses(story)
    for url in urls.values():
        client.get(url)
    snapshot_revoke(snapshot=Snapshot.objects.get(timeline=story.timeline), actor=story.owner)
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    for name, url in urls.items():
        if name.startswith(("snapshot", "link")):
            assert client.get(url).status_code == 410, name


def test_other_parameters_are_never_kept(client, story):
    url = addresses(story)["link page"]
    client.get(url + "?utm=one")
    assert not any(key.startswith(":1:factline:page") or "factline:page" in key for key in cache._cache)  # type: ignore[attr-defined]
    client.get(url)
    assert any("factline:page" in key for key in cache._cache)  # type: ignore[attr-defined]


# -- invalidation: every kind of change reaches every public page and export --


def _change(story, kind: str) -> None:
    timeline, owner = story.timeline, story.owner
    vote = Entry.objects.filter(pk=story.vote.pk).first()  # None once deleted (restore)
    if kind == "entry edit":
        entry_update(entry=vote, actor=owner, headline="CHANGED-HEADLINE", body="CHANGED-BODY")
    elif kind == "citation add":
        passage = story.deployed.citations.first().passage.source.passages.get(number=2)
        citation_create(actor=owner, entry=story.deployed, passage=passage, quote="voted", stance=Stance.CONTEXT)
    elif kind == "citation remove":
        citation_delete(citation=vote.citations.get(stance=Stance.CONTRADICTS), actor=owner)
    elif kind == "source metadata":
        source = vote.citations.get(stance=Stance.CONTRADICTS).passage.source
        source_update(source=source, actor=owner, title="CHANGED-SOURCE-TITLE", publisher="CHANGED-PUBLISHER")
    elif kind == "rating":
        source = vote.citations.get(stance=Stance.CONTRADICTS).passage.source
        source_rate(actor=owner, timeline=timeline, source=source, reliability="reliable", reason="CHANGED-RATING")
    elif kind == "timeline title":
        timeline_update(timeline=Timeline.objects.get(pk=timeline.pk), actor=owner, title="CHANGED-TITLE")
    elif kind == "membership role":
        membership_set(timeline=timeline, actor=owner, username="qzeditor", role=Role.VIEWER)
    elif kind == "share link off":
        timeline_revoke(timeline=Timeline.objects.get(pk=timeline.pk), actor=owner)
    elif kind == "share link renewed":
        timeline_share(timeline=Timeline.objects.get(pk=timeline.pk), actor=owner, renew=True)
    elif kind == "unlisted":
        timeline_set_listed(timeline=Timeline.objects.get(pk=timeline.pk), actor=owner, listed=False)
    elif kind == "unpublish":
        entry_set_status(entry=vote, actor=owner, status=Status.DRAFT)
    elif kind == "publish":
        draft = Entry.objects.get(pk=story.draft.pk)
        entry_update(entry=draft, actor=owner, headline="NOW-PUBLISHED")
        entry_set_status(entry=Entry.objects.get(pk=draft.pk), actor=owner, status=Status.PUBLISHED)
    elif kind == "revert":  # to the revision before the one _prepare made
        earlier = vote.history.order_by("-history_date", "-history_id")[1]
        entry_revert(entry=vote, actor=owner, history_id=earlier.history_id)
    elif kind == "restore":
        entry_restore(timeline=timeline, entry_id=story.vote.pk, actor=owner)
    else:
        raise AssertionError(kind)


def _prepare(story, kind: str) -> None:
    """What a change needs done before the pages are warmed: a revision to revert, an entry to restore."""
    vote = Entry.objects.get(pk=story.vote.pk)
    if kind == "revert":
        entry_update(entry=vote, actor=story.owner, headline="CHANGED-HEADLINE")
    elif kind == "restore":
        entry_delete(entry=vote, actor=story.owner)


CHANGES = [
    "entry edit",
    "citation add",
    "citation remove",
    "source metadata",
    "rating",
    "timeline title",
    "membership role",
    "share link off",
    "share link renewed",
    "unlisted",
    "unpublish",
    "publish",
    "revert",
    "restore",
]


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_reaches_every_public_page_and_export_with_the_cache_on(client, story, change):
    """After each change, every address answers exactly what it would with an empty cache: never a stale page."""
    urls = addresses(story)

    def warm() -> dict[str, tuple[int, bytes]]:
        # Only a 200 is ever kept; an error page is compared by its status.
        return {
            name: (r.status_code, r.content if r.status_code == 200 else b"")
            for name, url in urls.items()
            for r in [client.get(url)]
        }

    _prepare(story, change)
    before = warm()
    assert before == warm()  # served from the cache the second time, the same
    _change(story, change)
    served = warm()
    cache.clear()
    fresh = warm()
    for name in urls:
        assert served[name] == fresh[name], f"{change}: {name} served stale from the cache"
    differs = {name for name in urls if served[name] != before[name]}
    if change == "membership role":
        assert not differs  # members are never shown to readers
    else:
        assert any(name.startswith(("link", "listed")) for name in differs), change
        assert not any(name.startswith("snapshot") for name in differs), f"{change} moved a snapshot"


def test_the_database_cache_serves_pages_too(client, story, settings, django_assert_max_num_queries):
    from django.core.cache import caches
    from django.core.management import call_command

    settings.CACHES = caches_from_url("db://factline_page_cache_test")
    call_command("createcachetable", verbosity=0)
    try:
        caches["default"].clear()
        url = addresses(story)["link page"]
        first = client.get(url)
        with django_assert_max_num_queries(2):  # the timeline's row, the cache's row
            assert client.get(url).content == first.content
        entry_update(entry=Entry.objects.get(pk=story.vote.pk), actor=story.owner, headline="CHANGED-HEADLINE")
        assert "CHANGED-HEADLINE" in client.get(url).text
    finally:
        caches["default"].clear()


def test_citations_exist(story):
    # The story cites a source through the published entry the changes above rely on.
    assert Citation.objects.filter(entry=story.vote, stance=Stance.CONTRADICTS).exists()
    assert datetime.date(2023, 6, 30) == story.vote.start
