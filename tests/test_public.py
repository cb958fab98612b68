"""The public pages: a shared timeline's published entries with footnotes, passages in context, snapshots."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from simple_history.utils import bulk_create_with_history

from factline.models import Citation, Entry, Membership, Passage, Snapshot, Source, Timeline
from factline.models.timelines import Role, Stance, Status
from factline.services import (
    citation_create,
    entry_create,
    entry_delete,
    entry_set_status,
    entry_update,
    snapshot_create,
    source_import,
    source_rate,
    source_update,
    timeline_create,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
)
from tests.conftest import PASSWORD

OTHER_ARTICLE = (
    "A dissenting account\n\n"
    "Two members abstained, so the vote was not unanimous, diplomats said.\n\n"
    "The peacekeepers will leave by the end of the year.\n"
)
# Words that exist only in what readers must never see.
SECRETS = [
    "DRAFT-HEADLINE",
    "DRAFT-BODY",
    "DELETED-HEADLINE",
    "DELETED-REASON",
    "EDIT-SUMMARY",
    "CITE-REASON",
    "OTHER-TIMELINE",
    "qzowner",
    "qzeditor",
    "Quillon",
    "Zebedee",
    "@newsroom.example",
]


@dataclass
class Story:
    timeline: Timeline
    owner: object
    vote: Entry
    deployed: Entry
    draft: Entry
    draft_only_passage: Passage
    other: Timeline
    other_passage: Passage


def build_story(make_user, source: Source) -> Story:
    """A shared timeline with published, disputed, draft, edited and deleted entries, and another team's timeline."""
    owner = make_user("qzowner", first_name="Quillon", last_name="Zebedee")
    editor = make_user("qzeditor")
    timeline = timeline_create(actor=owner, title="Sahel watch", description="How MINUSMA ended.")
    Membership.objects.create(timeline=timeline, user=editor, role=Role.EDITOR)
    other_source = source_import(data=OTHER_ARTICLE.encode(), origin="other.txt", publisher="Other Paper")
    other_source = source_update(
        source=other_source,
        actor=editor,
        published=datetime.date(2023, 7, 1),
        url="https://other.example/vote",
    )
    # This timeline's own judgement of the source; the other team's timeline below has none.
    source_rate(
        actor=editor,
        timeline=timeline,
        source=other_source,
        reliability="mixed",
        reason="Sells gear between paragraphs.",
    )
    p_title, p_vote, p_deployed = (source.passages.get(number=n) for n in (1, 2, 3))
    dissent = other_source.passages.get(number=2)

    def publish(headline, start, precision, citations, **fields):
        entry = entry_create(
            actor=editor, timeline=timeline, start=start, precision=precision, headline=headline, **fields
        )
        for passage, quote, stance in citations:
            citation_create(
                actor=editor, entry=entry, passage=passage, quote=quote, stance=stance, reason="CITE-REASON"
            )
        return entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)

    vote = publish(
        "The Security Council ends MINUSMA",
        datetime.date(2023, 6, 30),
        "day",
        [(p_vote, "voted unanimously", Stance.SUPPORTS), (dissent, "the vote was not unanimous", Stance.CONTRADICTS)],
        body="A **unanimous** vote.",
        place="New York",
    )
    deployed = publish(
        "MINUSMA deploys", datetime.date(2013, 7, 1), "month", [(p_deployed, "13,000 peacekeepers", Stance.SUPPORTS)]
    )
    deployed = entry_update(entry=deployed, actor=editor, reason="EDIT-SUMMARY", body="The mission begins.")
    draft = entry_create(
        actor=editor, timeline=timeline, start=datetime.date(2024, 1, 1), headline="DRAFT-HEADLINE", body="DRAFT-BODY"
    )
    citation_create(actor=editor, entry=draft, passage=p_title, quote="Mali votes", reason="CITE-REASON")
    deleted = publish("DELETED-HEADLINE", datetime.date(2022, 1, 1), "year", [(p_vote, "Friday", Stance.SUPPORTS)])
    entry_delete(entry=deleted, actor=editor, reason="DELETED-REASON")
    timeline_share(timeline=timeline, actor=owner)

    stranger = make_user("qzstranger")
    other = timeline_create(actor=stranger, title="OTHER-TIMELINE desk")
    other_entry = entry_create(
        actor=stranger, timeline=other, start=datetime.date(2023, 1, 1), headline="OTHER-TIMELINE"
    )
    other_passage = other_source.passages.get(number=3)
    citation_create(actor=stranger, entry=other_entry, passage=other_passage)
    entry_set_status(entry=other_entry, actor=stranger, status=Status.PUBLISHED)
    timeline_share(timeline=other, actor=stranger)
    timeline.refresh_from_db()
    return Story(timeline, owner, vote, deployed, draft, p_title, Timeline.objects.get(pk=other.pk), other_passage)


@pytest.fixture
def story(make_user, source) -> Story:
    return build_story(make_user, source)


def page_url(story: Story) -> str:
    return reverse("public-timeline", args=[story.timeline.public_token])


def test_a_reader_sees_published_entries_in_date_order_at_their_precision(client, story):
    response = client.get(page_url(story))
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [e.headline for e in entries] == ["MINUSMA deploys", "The Security Council ends MINUSMA"]
    assert "July 2013" in response.text and "30 June 2023" in response.text
    assert "<strong>unanimous</strong>" in response.text and "New York" in response.text
    assert '<h1 id="p-title">Sahel watch</h1>' in response.text and "How MINUSMA ended." in response.text


def test_footnotes_show_the_quote_source_publisher_date_and_rating(client, story):
    text = client.get(page_url(story)).text
    assert "<q>the vote was not unanimous</q> — <cite>A dissenting account</cite>, Other Paper, " in text
    assert "1 July 2023</time>" in text
    assert "Rated mixed: Sells gear between paragraphs." in text
    assert 'href="https://other.example/vote" rel="noopener noreferrer nofollow"' in text
    assert text.count('<li id="fn-') == 3


def test_a_disputed_entry_says_which_source_says_what(client, story):
    text = client.get(page_url(story)).text
    assert '<span class="marker disputed">Disputed</span>' in text
    assert "The sources disagree." in text
    assert '<strong class="stance stance-supports">supports</strong> this: <q>voted unanimously</q>' in text
    assert (
        '<strong class="stance stance-contradicts">contradicts</strong> this: <q>the vote was not unanimous</q>' in text
    )


def test_nothing_private_appears_even_to_a_signed_in_member(client, story):
    anonymous = client.get(page_url(story))
    client.login(username="qzowner", password=PASSWORD)
    response = client.get(page_url(story))
    for secret in SECRETS:
        assert secret not in response.text, secret
    assert "Log out" not in response.text
    # The same bytes for everyone, so shared caches may keep it: no cookie, no Vary on one.
    assert response.content == anonymous.content
    assert "Cookie" not in response.get("Vary", "") and not response.cookies


def test_the_page_has_landmarks_metadata_and_no_inline_script(client, story):
    text = client.get(page_url(story)).text
    for landmark in ('<header class="public-header">', '<main id="main"', "<footer", '<nav class="downloads"'):
        assert landmark in text
    assert '<meta property="og:title" content="Sahel watch">' in text
    assert '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "ItemList"' in text
    # The JSON-LD data block, which no browser runs, and the time axis's own file (it works without).
    assert text.count("<script") == 2
    assert re.search(r'<script src="/static/js/axis\.js" defer></script>', text)
    assert 'style="' not in text
    assert '<meta name="robots" content="noindex, nofollow">' in text


def test_revoking_or_renewing_the_link_makes_the_old_one_gone(client, story):
    old = page_url(story)
    timeline_share(timeline=story.timeline, actor=story.owner)
    assert client.get(old).status_code == 410
    story.timeline.refresh_from_db()
    current = page_url(story)
    assert client.get(current).status_code == 200
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    assert client.get(current).status_code == 410


def test_a_guessed_or_snapshot_token_is_not_a_link(client, story):
    assert client.get(reverse("public-timeline", args=["x" * 43])).status_code == 404
    assert client.get(reverse("public-timeline", args=[story.timeline.slug])).status_code == 404
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    assert client.get(reverse("public-timeline", args=[snapshot.token])).status_code == 404
    assert client.get(reverse("snapshot-timeline", args=[story.timeline.public_token])).status_code == 404


def test_a_revoked_link_is_gone_on_every_address_under_it(client, story):
    token = story.timeline.public_token
    passage = story.vote.citations.first().passage_id
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    for url in (
        reverse("public-timeline", args=[token]),
        reverse("public-passage", args=[token, passage]),
        reverse("public-export", args=[token, "json"]),
        reverse("public-embed", args=[token]),
        reverse("public-card", args=[token]),
    ):
        response = client.get(url)
        assert response.status_code == 410, url
        assert "This link was turned off by its owner" in response.text


def test_a_footnote_opens_the_passage_among_its_neighbours_with_the_quote_marked(client, story):
    token = story.timeline.public_token
    passage = story.vote.citations.get(stance=Stance.SUPPORTS).passage
    page = client.get(page_url(story)).text
    url = reverse("public-passage", args=[token, passage.pk])
    assert f'href="{url}?from=' in page
    response = client.get(url)
    assert response.status_code == 200
    assert "The Security Council <mark>voted unanimously</mark> on Friday to end the mission." in response.text
    numbers = [p.number for p in response.context["neighbours"]]
    assert numbers == [1, 2, 3]  # ¶4 is boilerplate, never shown as context
    assert "The Security Council ends MINUSMA" in response.text
    for secret in SECRETS:
        assert secret not in response.text, secret


def test_a_passage_is_404_unless_a_published_entry_of_this_link_cites_it(client, story):
    token = story.timeline.public_token
    assert client.get(reverse("public-passage", args=[token, story.draft_only_passage.pk])).status_code == 404
    assert client.get(reverse("public-passage", args=[token, story.other_passage.pk])).status_code == 404
    other_token = story.other.public_token
    cited_here = story.vote.citations.first().passage_id
    assert client.get(reverse("public-passage", args=[other_token, cited_here])).status_code == 404
    assert client.get(reverse("public-passage", args=[other_token, story.other_passage.pk])).status_code == 200


def test_each_public_page_shows_its_own_timelines_rating_and_no_other(client, story):
    rated = client.get(page_url(story)).text
    assert "Rated mixed: Sells gear between paragraphs." in rated
    # The other team cites the same source and has not rated it: its page says nothing of our rating.
    other = client.get(reverse("public-timeline", args=[story.other.public_token])).text
    assert "Other Paper" in other and "Rated" not in other and "Sells gear" not in other
    passage = client.get(reverse("public-passage", args=[story.other.public_token, story.other_passage.pk])).text
    assert "Rated" not in passage and "Sells gear" not in passage
    source_rate(actor=None, timeline=story.other, source=story.other_passage.source, reliability="reliable")
    assert "Rated reliable" in client.get(reverse("public-timeline", args=[story.other.public_token])).text
    assert (
        "Rated mixed" in client.get(page_url(story)).text and "Rated reliable" not in client.get(page_url(story)).text
    )


def test_a_snapshot_keeps_showing_the_old_text_after_an_edit(client, story):
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    entry_update(entry=story.vote, actor=story.owner, headline="Renamed later", body="Changed later.")
    source_rate(
        actor=story.owner,
        timeline=story.timeline,
        source=story.vote.citations.last().passage.source,
        reliability="unreliable",
    )
    response = client.get(reverse("snapshot-timeline", args=[snapshot.token]))
    assert response.status_code == 200
    assert "The Security Council ends MINUSMA" in response.text and "Renamed later" not in response.text
    assert "Rated mixed" in response.text and "Rated unreliable" not in response.text
    assert "this is the timeline as it stood on" in response.text
    assert f"{snapshot.as_of:%-d %B %Y} at {snapshot.as_of:%H:%M} UTC" in response.text
    live = client.get(page_url(story)).text
    assert "Renamed later" in live


def test_a_snapshot_shows_only_what_was_published_then(client, story):
    before_publishing = timezone.now()
    entry = entry_create(
        actor=story.owner, timeline=story.timeline, start=datetime.date(2023, 8, 1), headline="Afterwards"
    )
    citation_create(actor=story.owner, entry=entry, passage=story.vote.citations.first().passage)
    entry_set_status(entry=entry, actor=story.owner, status=Status.PUBLISHED)
    snapshot = Snapshot.objects.create(timeline=story.timeline, token="t" * 43, as_of=before_publishing)
    text = client.get(reverse("snapshot-timeline", args=[snapshot.token])).text
    assert "MINUSMA deploys" in text and "Afterwards" not in text
    for secret in SECRETS:
        assert secret not in text, secret


def test_a_listed_timeline_is_public_at_its_address_and_404_otherwise(client, story):
    url = reverse("listed-timeline", args=[story.timeline.slug])
    assert client.get(url).status_code == 404
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    response = client.get(url)
    assert response.status_code == 200 and "MINUSMA deploys" in response.text
    assert '<meta name="robots"' not in response.text and "X-Robots-Tag" not in response.headers
    assert story.timeline.title in client.get(reverse("public-list")).text
    assert "OTHER-TIMELINE" not in client.get(reverse("public-list")).text


def test_a_repeat_visit_with_the_etag_or_date_gets_304_until_something_changes(client, story):
    url = page_url(story)
    first = client.get(url)
    assert first["Cache-Control"] == "no-cache" and first["X-Robots-Tag"] == "noindex, nofollow"
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(url, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    entry_update(entry=story.vote, actor=story.owner, headline="A change readers must see")
    changed = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_etag_changes_when_an_entry_is_deleted_or_a_source_is_rated(client, story):
    url = page_url(story)
    etag = client.get(url)["ETag"]
    source = story.deployed.citations.first().passage.source
    source_rate(actor=story.owner, timeline=story.timeline, source=source, reliability="reliable")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    etag = client.get(url)["ETag"]
    entry_delete(entry=story.deployed, actor=story.owner)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_a_change_that_commits_late_behind_a_newer_one_still_changes_the_etag(client, story, monkeypatch):
    """Times are taken at save: a slow transaction from another worker lands with an older time."""
    url = page_url(story)
    long_ago = datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: long_ago)
    etag = client.get(url)["ETag"]
    entry_update(entry=story.vote, actor=story.owner, headline="Saved slowly")
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    etag = client.get(url)["ETag"]
    citation_create(actor=story.owner, entry=story.vote, passage=story.deployed.citations.first().passage)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
    etag = client.get(url)["ETag"]
    entry_set_status(entry=story.deployed, actor=story.owner, status=Status.DRAFT)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_work_on_drafts_keeps_the_etag_and_unpublishing_changes_it(client, story):
    url = page_url(story)
    first = client.get(url)
    entry_update(entry=story.draft, actor=story.owner, headline="Still a draft", reason="Editors at work")
    passage = story.deployed.citations.first().passage
    citation_create(actor=story.owner, entry=story.draft, passage=passage, stance=Stance.CONTEXT)
    again = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304  # and so no hint of when editors worked on unpublished entries
    entry_set_status(entry=story.deployed, actor=story.owner, status=Status.DRAFT)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def _bulk_timeline(owner, passages: list[Passage], size: int) -> Timeline:
    """A shared timeline of `size` published, disputed entries, their citations dealt round `passages`."""
    timeline = timeline_create(actor=owner, title=f"Big {size}")
    for source_id in sorted({passage.source_id for passage in passages})[::3]:  # a third of the sources rated
        source_rate(
            actor=owner, timeline=timeline, source=Source(pk=source_id), reliability="reliable", reason="Checked."
        )
    entries = bulk_create_with_history(
        [
            Entry(
                timeline=timeline,
                start=datetime.date(2000 + i % 20, 1 + i % 12, 1 + i % 28),
                headline=f"Entry {i}",
                body="Some *body*.",
                status=Status.PUBLISHED,
            )
            for i in range(size)
        ],
        Entry,
    )
    citations = []
    for i, entry in enumerate(entries):
        for j, stance in enumerate((Stance.SUPPORTS, Stance.CONTRADICTS)):
            passage = passages[(2 * i + j) % len(passages)]
            citations.append(
                Citation(
                    entry=entry, passage=passage, quote=passage.text, start=0, end=len(passage.text), stance=stance
                )
            )
    bulk_create_with_history(citations, Citation)
    return timeline_share(timeline=timeline, actor=owner)


@pytest.fixture
def library(db) -> list[Passage]:
    """50 sources of several citable passages each, for citations to spread over."""
    passages = []
    for i in range(50):
        paragraphs = "".join(f"Paragraph {j} of report {i} tells what happened.\n\n" for j in range(7))
        source = source_import(data=f"Report {i}\n\n{paragraphs}".encode(), origin=f"report-{i}.txt")
        passages += source.passages.filter(boilerplate=False)
    return passages


@pytest.mark.parametrize("size", [10, 1000])
@pytest.mark.parametrize("kind", ["link", "listed", "snapshot"])
def test_the_page_takes_the_same_few_queries_for_10_or_1000_entries_citing_50_sources(
    client, owner, library, size, kind, django_assert_max_num_queries
):
    timeline = _bulk_timeline(owner, library, size)
    url = {
        "link": lambda: reverse("public-timeline", args=[timeline.public_token]),
        "listed": lambda: reverse(
            "listed-timeline", args=[timeline_set_listed(timeline=timeline, actor=owner, listed=True).slug]
        ),
        "snapshot": lambda: snapshot_create(timeline=timeline, actor=owner).get_absolute_url(),
    }[kind]()
    with django_assert_max_num_queries(8 if kind == "snapshot" else 5):
        response = client.get(url)
    entries = response.context["entries"]
    assert len(entries) == size
    cited = {c.passage.source_id for entry in entries for c in entry.citations.all()}
    assert len(cited) == (50 if size == 1000 else 3)  # 10 entries' 20 citations reach 3 sources
    assert response.text.count('<span class="marker disputed">') == size
    # The time axis, from the same entries: every one a mark or counted in its crowded year's cluster.
    counted = sum(int(count) for count in re.findall(r'data-count="(\d+)"', response.text))
    assert response.text.count('class="axis-mark ') + counted == size
    assert "Rated reliable: Checked." in response.text  # the timeline's ratings come in the same few queries
    assert client.get(url, headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_the_passage_page_takes_the_same_few_queries_for_10_or_1000_entries(
    client, owner, passage, django_assert_max_num_queries
):
    for size in (10, 1000):
        timeline = _bulk_timeline(owner, [passage], size)
        with django_assert_max_num_queries(5):
            response = client.get(reverse("public-passage", args=[timeline.public_token, passage.pk]))
        assert len(response.context["citations"]) == 2 * size


# The owner's share page.


def login(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_only_the_owner_opens_the_share_page(client, timeline, owner, editor, viewer, outsider):
    url = reverse("timeline-share", args=[timeline.slug])
    assert login(client, editor).get(url).status_code == 403
    assert login(client, viewer).get(url).status_code == 403
    assert login(client, outsider).get(url).status_code == 404
    assert login(client, owner).get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_the_owner_turns_the_link_on_renews_it_and_turns_it_off(client, timeline, owner):
    login(client, owner)
    url = reverse("timeline-share-link", args=[timeline.slug])
    response = client.post(url, {"action": "on"})
    assert response["Location"] == reverse("timeline-share", args=[timeline.slug])
    token = Timeline.objects.get(pk=timeline.pk).public_token
    page = client.get(response["Location"]).text
    assert f"http://testserver/p/{token}/" in page and "The public link is on." in page
    # Breaking a link people were given is asked about first, and only the confirmed form does it.
    asked = client.post(url, {"action": "renew"})
    assert asked.status_code == 200 and "Make a new public link?" in asked.text
    assert 'name="action" value="renew"' in asked.text and 'name="confirmed" value="1"' in asked.text
    assert Timeline.objects.get(pk=timeline.pk).public_token == token
    client.post(url, {"action": "renew", "confirmed": "1"})
    assert Timeline.objects.get(pk=timeline.pk).public_token not in (None, token)
    assert "Turn the public link off?" in client.post(url, {"action": "off"}).text
    assert Timeline.objects.get(pk=timeline.pk).public_token is not None
    client.post(url, {"action": "off", "confirmed": "1"})
    assert Timeline.objects.get(pk=timeline.pk).public_token is None


def test_an_editor_cannot_post_sharing_changes(client, timeline, editor):
    login(client, editor)
    assert client.post(reverse("timeline-share-link", args=[timeline.slug]), {"action": "on"}).status_code == 403
    assert client.post(reverse("timeline-share-listed", args=[timeline.slug]), {"listed": "1"}).status_code == 403
    assert client.post(reverse("snapshot-create", args=[timeline.slug])).status_code == 403
    timeline.refresh_from_db()
    assert (timeline.public_token, timeline.listed) == (None, False)


def test_the_owner_lists_the_timeline(client, timeline, owner):
    login(client, owner)
    client.post(reverse("timeline-share-listed", args=[timeline.slug]), {"listed": "1"})
    assert Timeline.objects.get(pk=timeline.pk).listed
    client.post(reverse("timeline-share-listed", args=[timeline.slug]), {"listed": "0"})
    assert not Timeline.objects.get(pk=timeline.pk).listed


@pytest.mark.parametrize("sent", [{}, {"listed": ""}, {"listed": "yes"}, {"listed": "1\x00"}])
def test_a_listing_button_sent_without_its_0_or_1_is_refused_and_changes_nothing(client, timeline, owner, sent):
    timeline_set_listed(timeline=timeline, actor=owner, listed=True)
    login(client, owner)
    response = client.post(reverse("timeline-share-listed", args=[timeline.slug]), sent)
    assert response.status_code == 400 and "listed" in response.text
    assert Timeline.objects.get(pk=timeline.pk).listed


@pytest.mark.parametrize("sent", [{}, {"action": ""}, {"action": "bogus"}])
def test_a_link_button_sent_without_a_known_action_is_refused_and_changes_nothing(client, timeline, owner, sent):
    login(client, owner)
    response = client.post(reverse("timeline-share-link", args=[timeline.slug]), sent)
    assert response.status_code == 400 and "action" in response.text
    assert Timeline.objects.get(pk=timeline.pk).public_token is None


def test_the_owner_shares_and_withdraws_a_snapshot(client, story):
    login(client, story.owner)
    slug = story.timeline.slug
    response = client.post(reverse("snapshot-create", args=[slug]), {"as_of": ""})
    snapshot = Snapshot.objects.get()
    assert response.status_code == 302
    assert snapshot.get_absolute_url() in client.get(response["Location"]).text
    asked = client.post(reverse("snapshot-revoke", args=[slug, snapshot.pk]))
    assert "Withdraw the snapshot as of" in asked.text and Snapshot.objects.exists()
    client.post(reverse("snapshot-revoke", args=[slug, snapshot.pk]), {"confirmed": "1"})
    assert not Snapshot.objects.exists()
    assert client.get(snapshot.get_absolute_url()).status_code == 410


def test_a_snapshot_of_the_future_is_refused_next_to_the_field_keeping_the_typed_date(client, story):
    login(client, story.owner)
    typed = (timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("snapshot-create", args=[story.timeline.slug]), {"as_of": typed})
    assert response.status_code == 422
    assert 'id="id_as_of_error">Choose a moment that has passed' in response.text
    assert f'value="{typed}"' in response.text
    assert not Snapshot.objects.exists()


def test_the_editor_page_fragment_offers_sharing_to_owners_and_downloads_to_members(timeline):
    from django.template.loader import render_to_string

    timeline.role = "owner"
    html = render_to_string("sharing/timeline_links.html", {"timeline": timeline})
    assert f'href="{reverse("timeline-share", args=[timeline.slug])}"' in html
    assert f'href="{reverse("timeline-export", args=[timeline.slug, "md"])}"' in html
    timeline.role = "viewer"
    html = render_to_string("sharing/timeline_links.html", {"timeline": timeline})
    assert reverse("timeline-share", args=[timeline.slug]) not in html and "Markdown" in html


def test_a_footnote_to_a_title_ending_in_a_question_mark_has_no_second_full_stop(client, story):
    source = story.vote.citations.get(stance=Stance.SUPPORTS).passage.source
    source_update(source=source, actor=story.owner, title="Why did they vote?", publisher="")
    text = client.get(page_url(story)).text
    assert "<cite>Why did they vote?</cite>\n" in text and "vote?</cite>." not in text


def _public_addresses(story: Story) -> dict[str, str]:
    """One address of each kind of public page: page, passage and download, link, listing and snapshot."""
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    token, slug = story.timeline.public_token, story.timeline.slug
    passage = story.vote.citations.first().passage_id
    return {
        "link": reverse("public-timeline", args=[token]),
        "link passage": reverse("public-passage", args=[token, passage]),
        "link export": reverse("public-export", args=[token, "md"]),
        "snapshot": reverse("snapshot-timeline", args=[snapshot.token]),
        "snapshot passage": reverse("snapshot-passage", args=[snapshot.token, passage]),
        "listed": reverse("listed-timeline", args=[slug]),
        "listed export": reverse("listed-export", args=[slug, "csv"]),
    }


def test_a_304_carries_the_same_caching_and_robots_headers_as_the_200(client, story):
    for name, url in _public_addresses(story).items():
        first = client.get(url)
        assert first.status_code == 200, name
        for condition in ({"If-None-Match": first["ETag"]}, {"If-Modified-Since": first["Last-Modified"]}):
            again = client.get(url, headers=condition)
            assert again.status_code == 304, name
            for header in ("Cache-Control", "X-Robots-Tag", "ETag", "Last-Modified"):
                assert again.get(header) == first.get(header), f"{name}: {header} on the 304"
        assert ("X-Robots-Tag" in first) == (not name.startswith("listed")), name


def test_with_the_link_off_the_share_page_says_snapshots_and_the_listing_stay_readable(client, story):
    login(client, story.owner)
    share = reverse("timeline-share", args=[story.timeline.slug])
    timeline_revoke(timeline=story.timeline, actor=story.owner)
    assert "only members can read this timeline" in client.get(share).text
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    page = client.get(share).text
    assert client.get(snapshot.get_absolute_url()).status_code == 200
    assert "only members can read" not in page
    assert "The snapshot link below stays readable by anyone who has it until you withdraw it." in page
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    page = client.get(share).text
    assert "only members can read" not in page and "It is still listed publicly" in page


def test_the_confirm_screen_for_turning_the_link_off_says_the_snapshots_stay_readable(client, story):
    login(client, story.owner)
    url = reverse("timeline-share-link", args=[story.timeline.slug])
    assert "snapshot" not in client.post(url, {"action": "off"}).text
    for _ in range(2):
        snapshot_create(timeline=story.timeline, actor=story.owner)
    asked = client.post(url, {"action": "off"}).text
    assert "The 2 snapshot links stay readable by anyone who has them until you withdraw them." in asked


def test_each_snapshot_row_says_who_shared_it_and_when(client, story):
    login(client, story.owner)
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    page = " ".join(strip_tags(client.get(reverse("timeline-share", args=[story.timeline.slug])).text).split())
    shared = timezone.localtime(snapshot.created, datetime.UTC)
    assert f"Shared by Quillon Zebedee on {shared:%-d %B %Y, %H:%M} UTC" in page


def test_a_listed_timelines_link_page_names_the_listed_address_as_canonical(client, story):
    listed = f"http://testserver{reverse('listed-timeline', args=[story.timeline.slug])}"
    link = f"http://testserver{page_url(story)}"
    assert f'<link rel="canonical" href="{link}">' in client.get(page_url(story)).text
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    for url in (page_url(story), reverse("listed-timeline", args=[story.timeline.slug])):
        response = client.get(url)
        assert f'<link rel="canonical" href="{listed}">' in response.text, url
        assert f'<meta property="og:url" content="{listed}">' in response.text, url
        assert f'"url": "{listed}"' in response.text, url  # the JSON-LD
    snapshot = snapshot_create(timeline=story.timeline, actor=story.owner)
    own = f"http://testserver{snapshot.get_absolute_url()}"
    assert f'<link rel="canonical" href="{own}">' in client.get(snapshot.get_absolute_url()).text


def test_the_list_of_listed_timelines_comes_in_pages_of_a_few_queries_each(client, db, django_assert_max_num_queries):
    Timeline.objects.bulk_create(
        [Timeline(slug=f"t-{i:04}", title=f"Timeline {i:04}", listed=i % 10 != 0) for i in range(1500)]
    )
    listed = [f"Timeline {i:04}" for i in range(1500) if i % 10 != 0]  # 1,350 of them, by title
    url = reverse("public-list")
    with django_assert_max_num_queries(2):
        first = client.get(url)
    titles = [t.title for t in first.context["page"]]
    assert titles == listed[:50]
    assert '<a href="?page=2" rel="next">' in first.text and "Page 1 of 27" in first.text
    with django_assert_max_num_queries(2):
        last = client.get(url, {"page": 27})
    assert [t.title for t in last.context["page"]] == listed[1300:]
    assert '<a href="?page=26" rel="prev">' in last.text and 'rel="next"' not in last.text
    assert client.get(url, {"page": "nonsense"}).context["page"].number == 1


def test_back_from_a_passage_returns_to_the_footnote_the_reader_came_from(client, story):
    passage = story.vote.citations.get(stance=Stance.SUPPORTS).passage_id
    url = reverse("public-passage", args=[story.timeline.public_token, passage])
    page = client.get(page_url(story)).text
    assert f'href="{url}?from=2"' in page  # footnote 2 quotes it
    response = client.get(url, {"from": "2"})
    assert f'<a href="{page_url(story)}#fn-2">← Back to “Sahel watch”</a>' in response.text
    # Without it (or with nonsense), back goes to the first entry citing the passage.
    for query in ({}, {"from": "x<y"}, {"from": "-1"}):
        assert f'<a href="{page_url(story)}#entry-{story.vote.pk}">← Back' in client.get(url, query).text
    assert response["ETag"] != client.get(url, {"from": "3"})["ETag"]


def test_a_snapshot_form_sent_twice_shares_one_snapshot(client, story):
    login(client, story.owner)
    page = client.get(reverse("timeline-share", args=[story.timeline.slug])).text
    once = re.search(r'name="once" value="([^"]+)"', page)[1]
    for _ in range(2):
        response = client.post(reverse("snapshot-create", args=[story.timeline.slug]), {"as_of": "", "once": once})
        assert response.status_code == 302
    assert Snapshot.objects.count() == 1


def test_turning_the_link_on_twice_keeps_the_first_link(client, timeline, owner):
    login(client, owner)
    url = reverse("timeline-share-link", args=[timeline.slug])
    client.post(url, {"action": "on"})
    token = Timeline.objects.get(pk=timeline.pk).public_token
    client.post(url, {"action": "on"})  # a double click, or a second tab still showing "Turn on"
    assert Timeline.objects.get(pk=timeline.pk).public_token == token
    assert Timeline.history.filter(history_action="link_renewed").count() == 0
