"""Discussing an entry as members do: a comment with a mention, seen on the other member's dashboard."""

import datetime

import pytest
from django.contrib.auth import get_user_model

from factline.models import Comment, Membership
from factline.models.timelines import Role, Stance
from factline.services import citation_create, entry_create, source_import, timeline_create
from tests.browser.conftest import follow, login, screenshot
from tests.conftest import ARTICLE, PASSWORD


@pytest.fixture
def team(transactional_db):
    users = get_user_model().objects
    jane, omar = users.create_user("jane", password=PASSWORD), users.create_user("omar", password=PASSWORD)
    timeline = timeline_create(actor=jane, title="Mali 2023")
    Membership.objects.create(timeline=timeline, user=omar, role=Role.EDITOR)
    source = source_import(data=ARTICLE.encode(), origin="vote.txt", publisher="Test Wire")
    entry = entry_create(actor=jane, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Council vote")
    citation_create(actor=jane, entry=entry, passage=source.passages.get(number=2), quote="voted unanimously")
    mission = source.passages.get(number=3)
    citation_create(actor=jane, entry=entry, passage=mission, quote="13,000", stance=Stance.CONTRADICTS)
    return timeline, entry


@pytest.mark.parametrize("javascript", [True, False])
def test_a_mention_in_a_disputed_entrys_discussion_reaches_the_other_members_dashboard(new_page, team, javascript):
    timeline, entry = team
    omar = new_page(javascript=javascript)
    login(omar, "omar", PASSWORD)
    omar.goto(timeline.get_absolute_url())  # he has looked: what follows is news to him

    jane = new_page(javascript=javascript)
    login(jane, "jane", PASSWORD)
    jane.goto(timeline.get_absolute_url())
    follow(jane.locator(f"#entry-{entry.pk}").get_by_role("link", name="Discuss the dispute (0 comments)"))
    jane.get_by_label("Comment").last.fill("@omar which figure is right? **13,000** or more?")
    button = jane.get_by_role("button", name="Post comment")
    if javascript:
        button.click()
        jane.locator(".comment-body").first.wait_for()
        assert jane.url.endswith("/discussion/")  # posted in place
    else:
        follow(button)
    mention = jane.locator(".comment-body a", has_text="@omar")
    assert mention.count() == 1
    screenshot(jane, f"discussion-{'js' if javascript else 'nojs'}")
    assert Comment.objects.get().mentions.get().user.username == "omar"

    omar.goto("/")
    since = omar.locator("td[data-label='Since you looked']")
    assert "1 new comment" in since.inner_text()
    mentions = omar.locator("section.mentions")
    assert "jane on Council vote" in " ".join(mentions.inner_text().split())
    screenshot(omar, f"dashboard-mention-{'js' if javascript else 'nojs'}")
    follow(mentions.get_by_role("link", name="Council vote"))
    assert "which figure is right?" in omar.locator("#discussion").inner_text()
    # He answers in the thread.
    omar.locator("details.reply summary").click()
    omar.locator("details.reply").get_by_label("Comment").fill("The mission's own figure: 13,000.")
    reply = omar.locator("details.reply").get_by_role("button", name="Reply")
    if javascript:
        reply.click()
        omar.locator(".replies .comment-body").wait_for()
    else:
        follow(reply)
    assert "The mission's own figure" in omar.locator(".replies").inner_text()
