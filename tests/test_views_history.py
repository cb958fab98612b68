"""The history pages: an entry's revisions, comparing and reverting them, deleted entries, activity, the past."""

import datetime

import pytest
from django.urls import reverse

from factline import history
from factline.history import EntryHistory
from factline.models import Citation, Entry, Snapshot
from factline.models.timelines import Stance
from factline.services import (
    citation_create,
    citation_delete,
    entry_create,
    entry_delete,
    entry_set_status,
    entry_update,
    snapshot_create,
    snapshot_revoke,
    source_update,
    timeline_revoke,
    timeline_share,
    timeline_update,
)
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _clock(clock):
    """Every row of these tests is written by the test clock."""


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def entry(timeline, editor, owner, passage, clock):
    """An entry created, edited (its date and words, with a summary), then cited: three revisions."""
    entry = entry_create(
        actor=editor,
        timeline=timeline,
        start=datetime.date(2021, 1, 1),
        precision="year",
        headline="The vote",
        body="The council voted to end the mission.",
        reason="First draft",
    )
    clock.tick()
    entry_update(
        entry=entry,
        actor=owner,
        start=datetime.date(2020, 1, 1),
        headline="The unanimous vote",
        body="The council voted unanimously to end the mission.",
        reason="Say it was unanimous",
    )
    citation_create(actor=owner, entry=entry, passage=passage, quote="voted unanimously")
    clock.tick()
    return Entry.objects.get(pk=entry.pk)


def keys(entry) -> list[str]:
    return [change.key for change in EntryHistory(entry.pk, entry.timeline_id).changes]


def test_the_history_shows_each_revision_newest_first_with_who_why_and_what_changed(client, editor, entry):
    response = client_for(client, editor).get(reverse("entry-history", args=[entry.timeline.slug, entry.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Revision 3") < text.index("Revision 2") < text.index("Revision 1")
    assert "“Say it was unanimous”" in text and "“First draft”" in text
    assert "date 2021 → 2020" in text and "headline reworded" in text and "body edited" in text
    assert "citation added: Mali votes ¶2 (supports)" in text
    assert text.count('class="revision"') == 3
    assert "newsroom.example" not in text  # usernames only, never emails


def test_comparing_two_revisions_marks_the_words_and_the_citations_that_changed(client, viewer, entry):
    first, *_, last = keys(entry)
    url = reverse("entry-compare", args=[entry.timeline.slug, entry.pk])
    response = client_for(client, viewer).get(url, {"from": first, "to": last})
    text = response.content.decode()
    assert "The<ins> unanimous</ins> vote" in text
    assert "voted<ins> unanimously</ins> to end" in text
    assert '<span class="old-value">2021</span>' in text and '<span class="new-value">2020</span>' in text
    assert "Added" in text and "<ins><q>voted unanimously</q></ins>" in text
    assert "Revert to revision" not in text  # viewers read, they do not revert
    # Any two revisions can be picked from the page, not only those of one page of the history.
    assert f'<option value="{first}" selected>1 ·' in text and f'<option value="{last}" selected>3 ·' in text


def test_comparing_a_revision_with_itself_says_so(client, viewer, entry):
    first = keys(entry)[0]
    url = reverse("entry-compare", args=[entry.timeline.slug, entry.pk])
    page = client_for(client, viewer).get(url, {"from": first, "to": first}).content.decode()
    assert "one revision compared with itself" in page


def test_comparing_against_a_revision_the_entry_never_had_is_404(client, editor, entry, timeline):
    other = entry_create(actor=editor, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Other")
    stranger = f"e{other.history.get().history_id}"
    url = reverse("entry-compare", args=[timeline.slug, entry.pk])
    assert client_for(client, editor).get(url, {"to": stranger}).status_code == 404
    assert client.get(url, {"to": "nonsense"}).status_code == 404


def test_an_editor_reverts_after_seeing_what_it_changes(client, editor, entry):
    first = keys(entry)[0]
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    page = client_for(client, editor).get(url, {"to": first})
    assert page.status_code == 200
    assert "The<del> unanimous</del> vote" in page.content.decode()
    assert "Removed" in page.content.decode()

    response = client.post(url, {"to": first, "version": entry.version, "reason": "Back to the first words"})
    assert response.status_code == 302
    reverted = Entry.objects.get()
    assert (reverted.headline, reverted.start.year, Citation.objects.count()) == ("The vote", 2021, 0)
    assert reverted.version == entry.version + 1
    history = client.get(response["Location"]).content.decode()
    # What the software wrote is a plain note; only the words the editor typed read as a quoted summary.
    assert '<p class="revision-note">Reverted to revision 1 of 1 Mar 2024 09:00:00 UTC by edgar</p>' in history
    assert '<p class="revision-reason">“Back to the first words”</p>' in history
    assert "Revision 3" in history


def test_the_revert_page_of_a_revision_the_entry_already_matches_offers_no_revert(client, editor, entry):
    first = keys(entry)[0]
    entry_update(
        entry=entry,
        actor=editor,
        start=datetime.date(2021, 1, 1),
        headline="The vote",
        body="The council voted to end the mission.",
    )
    citation_delete(citation=Citation.objects.get(), actor=editor)
    rows = Entry.history.count() + Citation.history.count()
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    page = client_for(client, editor).get(url, {"to": first}).content.decode()
    assert "there is nothing to revert" in page
    assert "Revert to revision 1" not in page

    response = client.post(url, {"to": first, "version": Entry.objects.get().version})
    assert response.status_code == 422
    assert "there is nothing to revert" in response.content.decode()
    assert Entry.history.count() + Citation.history.count() == rows


def test_a_revert_from_a_page_opened_before_another_save_is_a_conflict_and_saves_nothing(client, editor, owner, entry):
    first = keys(entry)[0]
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    entry_update(entry=entry, actor=owner, place="Bamako")
    response = client_for(client, editor).post(url, {"to": first, "version": entry.version})
    assert response.status_code == 409
    assert "Someone changed this entry while you looked" in response.content.decode()
    assert f'name="version" value="{Entry.objects.get().version}"' in response.content.decode()
    assert Entry.objects.get().headline == "The unanimous vote"


def test_viewers_read_history_but_cannot_revert_or_restore(client, viewer, editor, entry, timeline):
    doomed = entry_create(actor=editor, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Doomed")
    doomed_pk = doomed.pk
    entry_delete(entry=doomed, actor=editor)
    first = keys(entry)[0]
    client_for(client, viewer)
    for name in ("entry-history", "entry-compare"):
        assert client.get(reverse(name, args=[timeline.slug, entry.pk])).status_code == 200
    revert = reverse("entry-revert", args=[timeline.slug, entry.pk])
    assert client.get(revert, {"to": first}).status_code == 403
    assert client.post(revert, {"to": first, "version": entry.version}).status_code == 403
    assert client.post(reverse("entry-restore", args=[timeline.slug, doomed_pk])).status_code == 403
    assert Entry.objects.get().headline == "The unanimous vote"
    assert not Entry.objects.filter(pk=doomed_pk).exists()
    deleted = client.get(reverse("timeline-deleted", args=[timeline.slug])).content.decode()
    assert "Doomed" in deleted and ">Restore<" not in deleted


def every_route(timeline, entry, deleted_pk, source) -> list[tuple[str, str]]:
    slug = timeline.slug
    row = timeline.history.first().history_id
    return [
        ("get", reverse("entry-history", args=[slug, entry.pk])),
        ("get", reverse("entry-compare", args=[slug, entry.pk])),
        ("get", reverse("entry-revert", args=[slug, entry.pk])),
        ("post", reverse("entry-revert", args=[slug, entry.pk])),
        ("get", reverse("timeline-deleted", args=[slug])),
        ("post", reverse("entry-restore", args=[slug, deleted_pk])),
        ("get", reverse("timeline-activity", args=[slug])),
        ("get", reverse("change-detail", args=[slug, "timeline", row])),
        ("get", reverse("timeline-as-of", args=[slug]) + "?as_of=2024-03-01+09:30"),
        ("get", reverse("entry-history", args=[slug, deleted_pk])),
    ]


def test_people_outside_the_timeline_get_404_on_every_history_route(client, outsider, editor, entry, timeline, source):
    doomed = entry_create(actor=editor, timeline=timeline, start=datetime.date(2020, 1, 1), headline="Doomed")
    doomed_pk = doomed.pk
    entry_delete(entry=doomed, actor=editor)
    before = Entry.history.count()
    client_for(client, outsider)
    for method, url in every_route(timeline, entry, doomed_pk, source):
        assert getattr(client, method)(url, {"to": keys(entry)[0], "version": 3}).status_code == 404, url
    assert Entry.history.count() == before
    client.logout()
    for method, url in every_route(timeline, entry, doomed_pk, source):
        assert getattr(client, method)(url).status_code == 302, url  # to the login page


def test_another_timelines_entry_is_404_through_this_timeline(client, owner, entry, timeline):
    from factline.services import timeline_create

    mine = timeline_create(actor=owner, title="Mine")
    client_for(client, owner)
    assert client.get(reverse("entry-history", args=[mine.slug, entry.pk])).status_code == 404
    assert (
        client.get(
            reverse("change-detail", args=[mine.slug, "timeline", timeline.history.first().history_id])
        ).status_code
        == 404
    )


def test_a_deleted_entry_is_listed_with_who_deleted_it_and_restored_with_its_citations(
    client, editor, owner, entry, timeline
):
    pk = entry.pk
    entry_delete(entry=entry, actor=owner, reason="Duplicate of another")
    client_for(client, editor)
    listing = client.get(reverse("timeline-deleted", args=[timeline.slug])).content.decode()
    assert "The unanimous vote" in listing and "olivia" in listing and "Duplicate of another" in listing
    assert "1 citation," in listing
    history = client.get(reverse("entry-history", args=[timeline.slug, pk])).content.decode()
    assert "deleted with 1 citation" in history and "This entry is deleted." in history
    assert "Revert to" not in history  # restore it first: reverting needs a live entry

    response = client.post(reverse("entry-restore", args=[timeline.slug, pk]))
    assert response.status_code == 302 and response["Location"].endswith(f"#entry-{pk}")
    assert Entry.objects.get().pk == pk and Citation.objects.get().quote == "voted unanimously"
    listing = client.get(reverse("timeline-deleted", args=[timeline.slug])).content.decode()
    assert "No entry of this timeline is deleted." in listing
    again = client.post(reverse("entry-restore", args=[timeline.slug, pk]), follow=True)
    assert "This entry is not deleted." in again.content.decode()


def test_the_activity_shows_every_kind_of_change_newest_first_each_with_a_diff(client, owner, editor, entry, timeline):
    timeline_update(timeline=timeline, actor=owner, title="Sahel watch 2", reason="Clearer")
    client_for(client, editor)
    response = client.get(reverse("timeline-activity", args=[timeline.slug]))
    text = response.content.decode()
    assert text.index("title “Sahel watch” → “Sahel watch 2”") < text.index("date 2021 → 2020")
    assert text.index("date 2021 → 2020") < text.index("<li>created</li>")
    assert "vera added as viewer" in text
    compare = reverse("entry-compare", args=[timeline.slug, entry.pk])
    assert f'{compare}?to={keys(entry)[1]}">Diff' in text
    detail = reverse("change-detail", args=[timeline.slug, "timeline", timeline.history.first().history_id])
    assert f'{detail}">Diff' in text
    page = client.get(detail).content.decode()
    assert "Sahel watch<ins> 2</ins>" in page


def test_no_activity_page_cuts_a_change_in_two(client, editor, entry, timeline, passages, clock):
    doomed = entry_create(actor=editor, timeline=timeline, start=datetime.date(2012, 1, 1), headline="Doomed")
    for passage in passages[:3]:
        citation_create(actor=editor, entry=doomed, passage=passage)
        clock.tick()
    entry_delete(entry=doomed, actor=editor)  # one change of four rows: three citations, then the entry
    clock.tick()
    for n in range(38):
        entry_update(entry=entry, actor=editor, place=f"Place {n}")
        clock.tick()
    marks = [row[5] for row in history.activity(timeline)]
    assert marks[37] != marks[38] == marks[41] != marks[42]  # rows 38-41: the 40-row page edge falls inside

    client_for(client, editor)
    url = reverse("timeline-activity", args=[timeline.slug])
    first, second = (client.get(url, {"page": page}).content.decode() for page in (1, 2))
    assert "deleted with 3 citations" in first
    assert "deleted with" not in second and "citation removed" not in second
    assert "Place 0" in first and "created" in second  # nothing else moved


def test_sharing_a_snapshot_and_withdrawing_it_show_in_the_activity(client, owner, editor, entry, timeline, clock):
    entry_set_status(entry=entry, actor=owner, status="published")
    clock.tick()
    snapshot = snapshot_create(timeline=timeline, actor=owner)
    clock.tick()
    snapshot_revoke(snapshot=snapshot, actor=owner)
    client_for(client, editor)
    text = client.get(reverse("timeline-activity", args=[timeline.slug])).content.decode()
    moment = f"{snapshot.as_of.day} {snapshot.as_of:%b %Y, %H:%M} UTC"
    assert text.index(f"snapshot as of {moment} withdrawn") < text.index(f"snapshot shared, as it stood at {moment}")
    assert snapshot.token not in text  # members see that it was shared, not a link that no longer works
    shared = Snapshot.history.filter(history_type="+").get()
    detail = client.get(reverse("change-detail", args=[timeline.slug, "snapshot", shared.history_id]))
    assert detail.status_code == 200 and f"{snapshot.as_of:%Y-%m-%d %H:%M} UTC" in detail.content.decode()


def test_the_activity_filters_by_person_and_by_entry(client, owner, editor, entry, timeline):
    other = entry_create(actor=editor, timeline=timeline, start=datetime.date(2019, 1, 1), headline="Another")
    client_for(client, editor)
    url = reverse("timeline-activity", args=[timeline.slug])
    by_owner = client.get(url, {"person": owner.pk}).content.decode()
    assert "date 2021 → 2020" in by_owner and 'subject" href="/t/sahel-watch/entries/2/history/">' not in by_owner
    by_entry = client.get(url, {"entry": other.pk}).content.decode()
    assert f'subject" href="/t/sahel-watch/entries/{other.pk}/history/">Another' in by_entry
    assert "date 2021 → 2020" not in by_entry and "vera added" not in by_entry
    # Entries are offered with their dates, deleted ones saying so.
    other_pk = other.pk
    entry_delete(entry=other, actor=editor)
    offered = client.get(url).content.decode()
    assert f'<option value="{entry.pk}">2020: The unanimous vote</option>' in offered
    assert f'<option value="{other_pk}">1 January 2019: Another (deleted)</option>' in offered
    bad = client.get(url, {"person": "nobody"})
    assert bad.status_code == 422 and "Select a valid choice" in bad.content.decode()


def test_a_diff_of_an_entry_change_from_the_activity_leads_to_its_comparison(client, editor, entry, timeline):
    row = entry.history.first().history_id
    response = client_for(client, editor).get(reverse("change-detail", args=[timeline.slug, "entry", row]))
    assert response.status_code == 302
    assert response["Location"] == reverse("entry-compare", args=[timeline.slug, entry.pk]) + f"?to=e{row}"


def test_the_timeline_as_it_stood_between_two_edits_shows_the_earlier_words_read_only(client, viewer, entry, timeline):
    url = reverse("timeline-as-of", args=[timeline.slug])
    response = client_for(client, viewer).get(url, {"as_of": "2024-03-01 09:00:30"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Past view, read-only." in text and f'href="{timeline.get_absolute_url()}">Back to now' in text
    assert "The vote" in text and "The unanimous vote" not in text and "voted unanimously" not in text
    assert "/edit/" not in text and "data-hx-post" not in text and "Revert" not in text
    later = client.get(url, {"as_of": "2024-03-01 09:01:30"}).content.decode()
    assert "The unanimous vote" in later and "<q>voted unanimously</q>" in later


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("last tuesday", "This is not a moment we can read."),
        ("2024-02-30 10:00", "This is not a moment we can read."),
        ("2020-01-01 10:00", "The timeline did not exist yet"),
        ("2999-01-01 10:00", "That moment has not come yet"),
    ],
)
def test_an_unreadable_or_impossible_moment_is_refused_next_to_the_field(
    client, viewer, entry, timeline, typed, message
):
    response = client_for(client, viewer).get(reverse("timeline-as-of", args=[timeline.slug]), {"as_of": typed})
    text = response.content.decode()
    assert response.status_code == 422
    assert f'<p class="error" id="id_as_of_error">{message}' in text
    assert f'value="{typed}"' in text
    assert "Past view" not in text


def test_a_revision_links_to_the_timeline_as_it_stood_just_after_it(client, editor, entry, timeline):
    first = EntryHistory(entry.pk, timeline.pk).changes[0]
    history = client_for(client, editor).get(reverse("entry-history", args=[timeline.slug, entry.pk])).content.decode()
    url = reverse("timeline-as-of", args=[timeline.slug])
    assert f"{url}?as_of={first.moment.replace(' ', '%20').replace(':', '%3A')}" in history
    then = client.get(url, {"as_of": first.moment}).content.decode()
    assert "The vote" in then and "The unanimous vote" not in then


def test_a_source_keeps_the_history_of_its_details(client, editor, timeline, source, clock):
    clock.tick()
    source_update(source=source, actor=editor, reason="From the byline", author="Jane Roe")
    source_update(source=source, actor=editor, publisher="Test Wire Ltd")
    client_for(client, editor)
    page = client.get(source.get_absolute_url()).content.decode()
    assert reverse("source-history", args=[source.pk]) in page
    text = client.get(reverse("source-history", args=[source.pk])).content.decode()
    assert "author none → Jane Roe" in text and "“From the byline”" in text
    assert "publisher Test Wire → Test Wire Ltd" in text and "imported" in text
    assert text.index("publisher Test Wire") < text.index("author none")


def test_the_history_of_a_citation_only_change_can_be_reverted_to(client, editor, entry, passage, clock):
    citation_create(actor=editor, entry=entry, passage=passage, quote="end the mission", stance=Stance.CONTEXT)
    clock.tick()
    with_two = keys(entry)[-1]
    citation_delete(citation=Citation.objects.get(stance=Stance.CONTEXT), actor=editor)
    clock.tick()
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    response = client_for(client, editor).post(url, {"to": with_two, "version": Entry.objects.get().version})
    assert response.status_code == 302
    assert sorted(Citation.objects.values_list("stance", flat=True)) == ["context", "supports"]


def test_a_date_alone_on_the_day_the_timeline_was_made_shows_it_as_it_stands_now(client, viewer, entry, timeline):
    # The clock is still on 1 March 2024, the day the timeline was made: midnight was before it existed.
    url = reverse("timeline-as-of", args=[timeline.slug])
    response = client_for(client, viewer).get(url, {"as_of": "2024-03-01"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "The unanimous vote" in text and "<q>voted unanimously</q>" in text
    assert "1 Mar 2024, 09:02" in text and ", that is now." in text
    assert "the end of that day" in response.context["form"]["as_of"].help_text


def test_a_date_alone_means_the_end_of_that_day_and_a_time_stays_exact(client, viewer, editor, entry, timeline, clock):
    clock.now += datetime.timedelta(days=2)
    entry_update(entry=entry, actor=editor, headline="The vote of 3 March")
    url = reverse("timeline-as-of", args=[timeline.slug])
    client_for(client, viewer)
    day = client.get(url, {"as_of": "2024-03-01"})
    assert day.context["when"] == datetime.datetime(2024, 3, 1, 23, 59, 59, 999999, tzinfo=datetime.UTC)
    text = day.content.decode()
    assert "The unanimous vote" in text and "The vote of 3 March" not in text
    assert "1 Mar 2024, 23:59:59 UTC</time>, the end of that day." in text
    exact = client.get(url, {"as_of": "2024-03-01 09:00:30"})
    assert exact.context["when"] == datetime.datetime(2024, 3, 1, 9, 0, 30, tzinfo=datetime.UTC)
    assert "The vote<" in exact.content.decode() and "</time>, the end of that day" not in exact.content.decode()
    assert "The vote of 3 March" in client.get(url, {"as_of": "2024-03-03"}).content.decode()
    for typed, message in (("2024-03-04", "has not come yet"), ("2024-02-29", "did not exist yet")):
        refused = client.get(url, {"as_of": typed})
        assert refused.status_code == 422 and message in refused.content.decode()


def test_the_revert_page_says_before_its_button_when_a_revert_unpublishes_or_drops_citations(client, editor, entry):
    entry_set_status(entry=entry, actor=editor, status="published")
    first = keys(entry)[0]
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    text = client_for(client, editor).get(url, {"to": first}).content.decode()
    off = "This takes the entry off public pages: it goes back to being a draft."
    dropped = "This removes 1 citation from the entry: Mali votes ¶2 (supports)."
    assert off in text and dropped in text
    assert text.index(off) < text.index(dropped) < text.index("Revert to revision 1</button>")

    # Back to the revision just before publishing: still cited, so only the status is said.
    before_publishing = keys(entry)[-2]
    text = client.get(url, {"to": before_publishing}).content.decode()
    assert off in text and "This removes" not in text
    # Undoing an edit of the words alone, published before and after: nothing readers lose.
    published = keys(entry)[-1]
    entry_update(entry=Entry.objects.get(), actor=editor, headline="The unanimous vote of the council")
    text = client.get(url, {"to": published}).content.decode()
    assert "Before you revert" not in text and "Revert to revision 4</button>" in text


def test_the_revert_page_says_when_a_revert_publishes_the_entry(client, editor, entry):
    entry_set_status(entry=entry, actor=editor, status="published")
    published = keys(entry)[-1]
    entry_set_status(entry=Entry.objects.get(), actor=editor, status="draft")
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    text = client_for(client, editor).get(url, {"to": published}).content.decode()
    assert "This publishes the entry: it appears on public pages." in text


def test_the_compare_selects_name_each_revisions_author_and_summary(client, viewer, editor, entry):
    summary = "Rewrite the body after reading the record of the vote, which is clearer than the wire story"
    entry_update(entry=entry, actor=editor, body="The council voted unanimously, as its record shows.", reason=summary)
    url = reverse("entry-compare", args=[entry.timeline.slug, entry.pk])
    text = client_for(client, viewer).get(url).content.decode()
    assert ">1 · 1 Mar 2024, 09:00 · edgar · “First draft”</option>" in text
    assert ">2 · 1 Mar 2024, 09:01 · olivia · “Say it was unanimous”</option>" in text
    assert f">4 · 1 Mar 2024, 09:02 · edgar · “{summary[:47]}…”</option>" in text
    assert summary not in text.split('id="compare-to"')[1].split("</select>")[0]  # cut short in the choice


def test_a_replaced_public_link_reads_as_a_new_link_and_never_shows_a_token(client, owner, timeline, clock):
    first = timeline_share(timeline=timeline, actor=owner)
    clock.tick()
    second = timeline_share(timeline=first, actor=owner)
    clock.tick()
    timeline_revoke(timeline=second, actor=owner)
    rows = list(timeline.history.order_by("history_date"))  # created, on, replaced, off
    client_for(client, owner)

    def public_link(row) -> str:
        response = client.get(reverse("change-detail", args=[timeline.slug, "timeline", row.history_id]))
        text = response.content.decode()
        assert first.public_token not in text and second.public_token not in text
        return " ".join(text.split('<th scope="row">Public link')[1].split("</tr>")[0].split())

    replaced = public_link(rows[2])
    assert "changed" in replaced and "on (the earlier link)" in replaced
    assert "on (a new link; the earlier one no longer opens)" in replaced
    assert "off" in public_link(rows[1]) and "(a new link" not in public_link(rows[1])
    assert "(the earlier link)" not in public_link(rows[3])


@pytest.mark.parametrize("version", ["", "abc", "-1", "1.5", None], ids=repr)
def test_a_revert_that_does_not_say_its_version_is_refused_with_400(client, editor, entry, version):
    url = reverse("entry-revert", args=[entry.timeline.slug, entry.pk])
    data = {"to": keys(entry)[0], "reason": "Back"}
    if version is not None:
        data["version"] = version
    response = client_for(client, editor).post(url, data)
    assert response.status_code == 400 and "must say which version" in response.text
    assert Entry.objects.get().version == entry.version
