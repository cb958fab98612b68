"""Nothing private reaches a reader: every public address of a timeline, every page and download of it."""

import datetime

import pytest
from django.urls import reverse

from factline.models import Membership
from factline.models.timelines import Role, Stance
from factline.services import (
    citation_create,
    comment_create,
    entry_create,
    entry_delete,
    entry_update,
    snapshot_create,
    timeline_set_listed,
)
from tests.test_public import SECRETS, Story, build_story

KINDS = {"link": "public", "listed": "listed", "snapshot": "snapshot"}
# What each page must show, so that an empty or broken answer cannot pass for a clean one.
PAGES = {
    "page": "MINUSMA deploys",
    "passage": "The Security Council ends MINUSMA",
    "json": "MINUSMA deploys",
    "csv": "MINUSMA deploys",
    "timelinejs": "MINUSMA deploys",
    "md": "MINUSMA deploys",
}


@pytest.fixture
def story(clock, make_user, source) -> Story:
    story = build_story(make_user, source)
    timeline_set_listed(timeline=story.timeline, actor=story.owner, listed=True)
    clock.tick()
    return story


def address(story: Story, kind: str) -> str:
    """The key of the timeline's public address of this kind (a snapshot is shared on the spot)."""
    if kind == "link":
        return story.timeline.public_token
    if kind == "listed":
        return story.timeline.slug
    return snapshot_create(timeline=story.timeline, actor=story.owner).token


def url(story: Story, kind: str, key: str, page: str) -> str:
    route = KINDS[kind]
    if page == "page":
        return reverse(f"{route}-timeline", args=[key])
    if page == "passage":
        passage = story.vote.citations.get(stance=Stance.SUPPORTS).passage_id
        return reverse(f"{route}-passage", args=[key, passage])
    return reverse(f"{route}-export", args=[key, page])


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_no_draft_deletion_summary_member_or_other_timeline_reaches_a_reader(client, story, kind, page):
    response = client.get(url(story, kind, address(story, kind), page))
    assert response.status_code == 200
    text = response.content.decode()
    assert PAGES[page] in text
    for secret in SECRETS:
        assert secret not in text, f"{secret} leaked into the {page} of the {kind}"


@pytest.mark.parametrize("kind", KINDS)
def test_passages_cited_only_by_drafts_or_other_timelines_are_not_found(client, story, kind):
    key = address(story, kind)
    for passage in (story.draft_only_passage, story.other_passage):
        assert client.get(reverse(f"{KINDS[kind]}-passage", args=[key, passage.pk])).status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_work_on_drafts_moves_neither_last_modified_nor_the_etag(client, story, clock, kind, make_user):
    page = url(story, kind, address(story, kind), "page")
    first = client.get(page)
    clock.tick()  # a minute on: a change that counted would show in Last-Modified
    entry_update(entry=story.draft, actor=story.owner, headline="Still a draft", reason="Editors at work")
    passage = story.deployed.citations.first().passage
    citation_create(actor=story.owner, entry=story.draft, passage=passage, stance=Stance.CONTEXT)
    another = entry_create(
        actor=story.owner, timeline=story.timeline, start=datetime.date(2024, 2, 1), headline="Another draft"
    )
    entry_delete(entry=another, actor=story.owner)
    Membership.objects.create(timeline=story.timeline, user=make_user("newcomer"), role=Role.VIEWER)
    again = client.get(page)
    assert (again["Last-Modified"], again["ETag"]) == (first["Last-Modified"], first["ETag"])
    assert client.get(page, headers={"If-Modified-Since": first["Last-Modified"]}).status_code == 304
    if kind != "snapshot":  # while a published change moves both (a snapshot never moves)
        entry_update(entry=story.deployed, actor=story.owner, headline="MINUSMA deploys, reworded")
        changed = client.get(page)
        assert changed["Last-Modified"] != first["Last-Modified"] and changed["ETag"] != first["ETag"]


NOTE = "Editors only: the article contradicts itself here"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_citation_notes_never_reach_a_reader(client, story, kind, page):
    from factline.models import Citation
    from factline.services import citation_update

    cited = Citation.objects.filter(entry__timeline=story.timeline)
    assert cited.exists()
    for citation in cited:
        citation_update(citation=citation, actor=story.owner, note=NOTE)
    response = client.get(url(story, kind, address(story, kind), page))
    assert response.status_code == 200 and PAGES[page] in response.content.decode()
    assert "contradicts itself" not in response.content.decode()


@pytest.mark.parametrize("fmt", ["json", "csv", "timelinejs", "md"])
def test_citation_notes_are_not_in_the_members_exports_either(client, story, fmt):
    from factline.models import Citation
    from factline.services import citation_update

    for citation in Citation.objects.filter(entry__timeline=story.timeline):
        citation_update(citation=citation, actor=story.owner, note=NOTE)
    client.force_login(story.owner)
    response = client.get(reverse("timeline-export", args=[story.timeline.slug, fmt]))
    assert response.status_code == 200 and "MINUSMA" in response.content.decode()
    assert "contradicts itself" not in response.content.decode()
    # The members' editor page shows it: the check above is not vacuous.
    assert "contradicts itself" in client.get(story.timeline.get_absolute_url()).content.decode()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_comments_and_mentions_never_reach_a_reader(client, story, kind, page):
    """The discussion is for members: no public page, snapshot or download carries a word of it."""
    editor = Membership.objects.get(timeline=story.timeline, role=Role.EDITOR).user
    head = comment_create(actor=story.owner, entry=story.vote, body="Zqxcomment head, ask @" + editor.username)
    comment_create(actor=editor, entry=story.vote, body="Zqxcomment reply", parent=head)
    comment_create(actor=editor, entry=story.deployed, body="Zqxcomment on another entry")
    response = client.get(url(story, kind, address(story, kind), page))
    assert response.status_code == 200
    text = response.content.decode()
    assert PAGES[page] in text
    assert "Zqxcomment" not in text and "discussion" not in text.lower(), f"a comment leaked into the {page} of {kind}"


def test_a_sources_history_is_no_list_of_every_timelines_people(client, story, make_user, source):
    """Logged in with a timeline of one's own, a source's history names none of another team's people."""
    from django.contrib.auth.models import User

    from factline.services import source_update, timeline_create

    source_update(source=source, actor=story.owner, publisher="Wire Two")
    stranger = make_user("stranger")
    timeline_create(actor=stranger, title="Elsewhere")
    client.force_login(stranger)
    text = client.get(reverse("source-history", args=[source.pk])).text
    assert "Wire Two" in text
    for person in User.objects.exclude(pk=stranger.pk):
        assert person.username not in text, f"{person.username} leaked into a stranger's source history"


@pytest.mark.parametrize("kind", KINDS)
def test_invitations_emails_and_display_names_never_reach_a_reader(client, story, kind):
    from django.contrib.auth import get_user_model

    from factline.services import invitation_create, profile_update

    members = get_user_model().objects.filter(memberships__timeline=story.timeline)
    for n, member in enumerate(members):
        profile_update(actor=member, display_name=f"Hidden Name{n}", email=f"hidden{n}@private.example")
    invitation_create(
        timeline=story.timeline, actor=story.owner, email="invitee@private.example", role=Role.EDITOR, link=str
    )
    secrets = ["Hidden Name", "private.example", "invitee", "nvitation"]
    key = address(story, kind)
    for page in PAGES:
        response = client.get(url(story, kind, key, page))
        assert response.status_code == 200 and PAGES[page] in response.content.decode()
        for secret in secrets:
            assert secret not in response.content.decode(), f"{secret} leaked into the {page} of the {kind}"
