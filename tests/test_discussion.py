"""An entry's discussion and "what changed since I looked": services, pages, the dashboard, query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from factline import discussion, selectors, services
from factline.models import Citation, Comment, Entry, Mention, Watch
from factline.models.discussion import COMMENT_MAX
from factline.models.timelines import Stance


@pytest.fixture
def entry(timeline, owner, passage) -> Entry:
    entry = services.entry_create(actor=owner, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    services.citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    return entry


def url(entry: Entry) -> str:
    return reverse("entry-discussion", args=[entry.timeline.slug, entry.pk])


# -- mentions --


def test_names_are_found_once_each_and_not_in_email_addresses():
    text = "@edgar and @vera. ask @edgar; mail a@b.example or @@x"
    assert discussion.names_in(text) == ["edgar", "vera"]


def test_only_members_become_links():
    text = discussion.link_mentions("hi @edgar and @nobody", {"edgar"}, lambda name: "/m/")
    assert text == "hi [@edgar](/m/) and @nobody"


def test_a_long_run_of_mentions_is_parsed_in_linear_time():
    assert len(discussion.names_in("@a " * 100_000)) == 1
    assert len(discussion.names_in(" ".join(f"@u{i}" for i in range(1000)))) == discussion.MAX_MENTIONS


# -- services --


def test_a_comment_records_mentions_of_members_only(entry, owner, editor, outsider):
    comment = services.comment_create(actor=owner, entry=entry, body="@edgar see this; @oscar too; @olivia")
    assert set(comment.mentions.values_list("user__username", flat=True)) == {"edgar"}


def test_editing_moves_the_mentions(entry, owner, editor, viewer):
    comment = services.comment_create(actor=owner, entry=entry, body="@edgar")
    services.comment_update(actor=owner, comment=comment, body="@vera")
    assert list(comment.mentions.values_list("user__username", flat=True)) == ["vera"]
    assert comment.edited is not None


def test_a_reply_to_a_reply_joins_the_thread_and_reopens_it(entry, owner, editor):
    head = services.comment_create(actor=owner, entry=entry, body="Is the date right?")
    services.comment_resolve(actor=editor, comment=head, resolved=True)
    reply = services.comment_create(actor=editor, entry=entry, body="Yes", parent=head)
    again = services.comment_create(actor=owner, entry=entry, body="Sure?", parent=reply)
    assert again.parent_id == head.pk
    head.refresh_from_db()
    assert head.resolved is None


def test_viewers_read_but_do_not_write(entry, owner, viewer):
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=viewer, entry=entry, body="Hello")
    comment = services.comment_create(actor=owner, entry=entry, body="Hello")
    with pytest.raises(PermissionDenied):
        services.comment_resolve(actor=viewer, comment=comment, resolved=True)


def test_only_the_author_edits_and_owners_may_also_delete(entry, owner, editor):
    mine = services.comment_create(actor=editor, entry=entry, body="Mine")
    with pytest.raises(PermissionDenied):
        services.comment_update(actor=owner, comment=mine, body="Changed")
    theirs = services.comment_create(actor=owner, entry=entry, body="Owner's")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=editor, comment=theirs)
    services.comment_delete(actor=owner, comment=mine)
    mine.refresh_from_db()
    assert mine.deleted is not None and mine.body == ""


def test_a_comment_has_a_length_cap_and_cannot_be_blank(entry, owner):
    for body in ("x" * (COMMENT_MAX + 1), "   "):
        with pytest.raises(ValidationError):
            services.comment_create(actor=owner, entry=entry, body=body)
    assert not Comment.objects.exists()


# -- pages --


def test_posting_a_comment_without_javascript_lands_on_it(login, entry, owner, editor):
    response = login(owner).post(url(entry), {"body": "Ask **@edgar**", "once": "tok-1"})
    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"#comment-{comment.pk}")
    page = login(owner).get(url(entry)).text
    assert '<a href="/t/sahel-watch/members/" rel="noopener noreferrer nofollow">@edgar</a>' in page


def test_the_same_form_sent_twice_makes_one_comment(login, entry, owner):
    client = login(owner)
    for _ in range(2):
        client.post(url(entry), {"body": "Once", "once": "tok-2"})
    assert Comment.objects.count() == 1


def test_htmx_posting_answers_with_the_discussion_only(login, entry, owner):
    response = login(owner).post(url(entry), {"body": "Inline"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'id="discussion"' in response.text and "<html" not in response.text


def test_an_over_long_comment_is_refused_next_to_the_field(login, entry, owner):
    response = login(owner).post(url(entry), {"body": "x" * (COMMENT_MAX + 1)})
    assert response.status_code == 422 and "at most" in response.text
    assert not Comment.objects.exists()


def test_markdown_in_comments_is_sanitised(login, entry, owner):
    services.comment_create(actor=owner, entry=entry, body="<script>alert(1)</script>\n\nSee [x](javascript:alert(1))")
    page = login(owner).get(url(entry)).text
    # The script goes; the defused link is its words, no address at all.
    assert "<script>alert" not in page and "javascript:" not in page and "See x" in page


def test_a_viewer_reads_the_discussion_and_gets_no_form(login, entry, owner, viewer):
    services.comment_create(actor=owner, entry=entry, body="For all members")
    response = login(viewer).get(url(entry))
    assert response.status_code == 200 and "For all members" in response.text and "Post comment" not in response.text
    assert login(viewer).post(url(entry), {"body": "Mine"}).status_code == 403


def test_a_reply_to_a_comment_of_another_entry_is_refused(login, entry, owner, timeline):
    other = services.entry_create(actor=owner, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Other")
    elsewhere = services.comment_create(actor=owner, entry=other, body="Elsewhere")
    response = login(owner).post(url(entry), {"body": "Reply", "parent": elsewhere.pk})
    assert response.status_code == 422 and Comment.objects.count() == 1


def test_the_entry_block_shows_the_comment_count_and_a_disputed_entry_links_its_dispute(login, entry, owner, source):
    mission = source.passages.get(number=3)
    services.citation_create(
        actor=owner, entry=entry, passage=mission, quote="13,000 peacekeepers", stance=Stance.CONTRADICTS
    )
    services.comment_create(actor=owner, entry=entry, body="One")
    gone = services.comment_create(actor=owner, entry=entry, body="Two")
    services.comment_delete(actor=owner, comment=gone)
    page = login(owner).get(entry.timeline.get_absolute_url()).text
    assert f'href="{url(entry)}">Discuss the dispute (1 comment)</a>' in page


def test_editing_and_deleting_ones_own_comment(login, entry, owner, editor):
    comment = services.comment_create(actor=editor, entry=entry, body="Frist")
    client = login(editor)
    edit = reverse("comment-edit", args=[entry.timeline.slug, comment.pk])
    assert client.post(edit, {"body": "First"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "First"
    assert login(owner).get(edit).status_code == 403  # not the author
    client = login(editor)
    client.post(reverse("comment-delete", args=[entry.timeline.slug, comment.pk]))
    comment.refresh_from_db()
    assert comment.deleted is not None


def test_resolving_and_reopening_a_thread(login, entry, owner):
    comment = services.comment_create(actor=owner, entry=entry, body="Thread")
    resolve = reverse("comment-resolve", args=[entry.timeline.slug, comment.pk])
    login(owner).post(resolve, {"resolved": "1"})
    comment.refresh_from_db()
    assert comment.resolved is not None
    assert "Reopen thread" in login(owner).get(url(entry)).text
    login(owner).post(resolve, {"resolved": "0"})
    comment.refresh_from_db()
    assert comment.resolved is None


# -- watching and "since I looked" --


def test_opening_the_editor_page_records_the_moment(login, entry, editor, timeline):
    assert not Watch.objects.exists()
    login(editor).get(timeline.get_absolute_url())
    first = Watch.objects.get(user=editor).last_opened
    login(editor).get(timeline.get_absolute_url())
    assert Watch.objects.get(user=editor).last_opened > first


def test_the_dashboard_counts_others_changes_and_comments_since_one_looked(login, entry, owner, editor, timeline):
    login(editor).get(timeline.get_absolute_url())
    services.entry_update(entry=entry, actor=owner, expected_version=entry.version, headline="Vote, again")
    services.comment_create(actor=owner, entry=entry, body="Look, @edgar")
    services.comment_create(actor=editor, entry=entry, body="My own")  # not news to me
    row = selectors.dashboard_timelines(editor).get()
    assert (row.changes, row.new_comments, row.watching) == (1, 1, True)
    page = login(editor).get(reverse("dashboard")).text
    assert "1 change</a>" in page and "1 new comment" in page
    assert "Mentions of you" in page and "Look, @edgar" in page


def test_stopping_watching_hides_the_counts(login, entry, editor, timeline):
    client = login(editor)
    client.post(reverse("timeline-watch", args=[timeline.slug]), {"watching": "0"})
    assert "Not watching" in client.get(reverse("dashboard")).text
    client.post(reverse("timeline-watch", args=[timeline.slug]), {"watching": "1"})
    assert "Not watching" not in client.get(reverse("dashboard")).text


def test_the_activity_link_shows_only_the_changes_since(login, entry, owner, editor, timeline):
    login(editor).get(timeline.get_absolute_url())
    since = Watch.objects.get(user=editor).last_opened
    services.entry_update(entry=entry, actor=owner, expected_version=entry.version, headline="Renamed vote")
    activity = reverse("timeline-activity", args=[timeline.slug])
    page = login(editor).get(activity, {"since": since.isoformat(), "others": "on"}).text
    assert page.count('class="activity-row"') == 1 and "Renamed vote" in page


@pytest.mark.parametrize("since", ["yesterday", "9999-12-31T23:59:59-15:00", "\x00", "2024-13-01"])
def test_a_bad_since_is_a_message_not_a_500(login, entry, owner, timeline, since):
    response = login(owner).get(reverse("timeline-activity", args=[timeline.slug]), {"since": since})
    assert response.status_code in (400, 422)


def test_mentions_of_a_former_member_do_not_show(login, entry, owner, editor, timeline):
    services.comment_create(actor=owner, entry=entry, body="@edgar")
    assert Mention.objects.count() == 1
    services.membership_remove(membership=timeline.memberships.get(user=editor), actor=owner)
    assert selectors.mentions_of(editor) == []


# -- query counts, flat from 10 to 1,000 --


def _busy(entry: Entry, owner, editor, count: int) -> None:
    later = timezone.now() + datetime.timedelta(minutes=1)
    Comment.objects.bulk_create(
        [Comment(entry=entry, author=owner if i % 2 else editor, body=f"Comment {i} @edgar") for i in range(count)]
    )
    Comment.objects.update(created=later)
    Mention.objects.bulk_create([Mention(comment=c, user=editor) for c in Comment.objects.all()])
    rows = [
        Entry.history.model(
            id=entry.pk,
            timeline_id=entry.timeline_id,
            start=entry.start,
            precision=entry.precision,
            headline=f"v{i}",
            history_date=timezone.now() + datetime.timedelta(minutes=1),
            history_type="~",
            history_user=owner,
            history_change=__import__("uuid").uuid4(),
            version=entry.version,
            status=entry.status,
            approximate=False,
            created=entry.created,
            updated=entry.updated,
        )
        for i in range(count)
    ]
    Entry.history.bulk_create(rows)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_dashboard_and_discussion_need_the_same_queries_for_10_or_1000(
    login, entry, owner, editor, timeline, count, django_assert_max_num_queries
):
    Watch.objects.create(user=editor, timeline=timeline, last_opened=timezone.now())
    _busy(entry, owner, editor, count)
    client = login(editor)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("dashboard")).text
    assert f"{count} change" in page and f"{count // 2} new comment" in page
    with django_assert_max_num_queries(8):
        page = client.get(url(entry)).text
    assert page.count('class="comment-body"') == count
    assert Citation.objects.count() == 1


@pytest.mark.parametrize("sent", [{}, {"watching": ""}, {"watching": "yes"}, {"watching": "1\x00"}])
def test_a_watch_button_without_0_or_1_is_refused_and_changes_nothing(login, editor, timeline, sent):
    services.timeline_watch(actor=editor, timeline_id=timeline.pk, watching=True)
    response = login(editor).post(reverse("timeline-watch", args=[timeline.slug]), sent)
    assert response.status_code == 400 and "watching" in response.text
    assert Watch.objects.get(user=editor, timeline=timeline).watching
