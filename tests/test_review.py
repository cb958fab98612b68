"""The review queue's rules, Mark reviewed, the two-person rule, and verify_citations."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from factline import dates, review
from factline.models import Citation, Entry, Passage, Source
from factline.models.timelines import Stance, Status
from factline.services import (
    citation_create,
    entry_approve,
    entry_create,
    entry_mark_reviewed,
    entry_request_review,
    entry_send_back,
    entry_set_status,
    entry_update,
    source_import,
    source_rate,
    timeline_set_two_person_rule,
)
from tests.test_views_timelines import make_big_timeline

OTHER = "Second wire\n\nThe council voted on Friday, all fifteen members.\n"


# The rules that hold an entry to its evidence (issue 17) are tested in test_review_evidence.py on timelines
# made for them; the small timelines here date entries as no passage does, so they leave those rules out.
EVIDENCE = {"date-beyond-evidence", "stance-contradicts-sibling", "single-weak-source"}


def reasons(timeline, names=None) -> dict[str, set[str]]:
    """The queue of `timeline`, as headline → the names of the rules that list it (of those named)."""
    names = names if names is not None else {rule.name for rule in review.RULES} - EVIDENCE
    rules = [rule for rule in review.RULES if rule.name in names]
    items = review.queue(Entry.objects.filter(timeline=timeline), rules)
    return {item.entry.headline: {rule.name for rule, _ in item.reasons} for item in items}


def published(timeline, actor, headline, *cited, start=datetime.date(2023, 6, 30)):
    entry = entry_create(actor=actor, timeline=timeline, start=start, headline=headline)
    for passage, stance in cited:
        citation_create(actor=actor, entry=entry, passage=passage, stance=stance)
    return entry_set_status(entry=entry, actor=actor, status=Status.PUBLISHED)


@pytest.fixture
def other(db) -> Passage:
    return source_import(data=OTHER.encode(), origin="other.txt").passages.get(number=2)


def test_each_rule_lists_what_it_should_and_nothing_else(editor, timeline, passage, other):
    published(timeline, editor, "One source", (passage, Stance.SUPPORTS))
    published(timeline, editor, "Two sources", (passage, Stance.SUPPORTS), (other, Stance.SUPPORTS))
    published(timeline, editor, "Disputed", (passage, Stance.SUPPORTS), (other, Stance.CONTRADICTS))
    old = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 1, 1), headline="Old draft")
    Entry.objects.filter(pk=old.pk).update(created=timezone.now() - datetime.timedelta(days=8))
    entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 1, 1), headline="New draft")
    assert reasons(timeline) == {
        "One source": {"single-source"},
        "Disputed": {"single-source", "disputed"},  # its one supporting source
        "Old draft": {"stale-draft"},
    }


def test_support_only_from_sources_rated_mixed_or_unreliable_is_listed(editor, timeline, passage, other):
    published(timeline, editor, "Weak", (passage, Stance.SUPPORTS), (other, Stance.SUPPORTS))
    assert "Weak" not in reasons(timeline)  # unrated is not weak
    source_rate(actor=editor, timeline=timeline, source=passage.source, reliability="mixed")
    source_rate(actor=editor, timeline=timeline, source=other.source, reliability="unreliable")
    assert reasons(timeline)["Weak"] == {"weak-support"}
    source_rate(actor=editor, timeline=timeline, source=other.source, reliability="reliable")
    assert "Weak" not in reasons(timeline)


def test_a_citation_that_no_longer_verifies_is_listed_with_what_is_wrong(editor, timeline, passage, other):
    entry = published(timeline, editor, "Shifted", (passage, Stance.SUPPORTS), (other, Stance.SUPPORTS))
    citation = entry.citations.get(passage=passage)
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 1, end=citation.end + 1)
    ((rule, finding),) = [r for r in review.queue(Entry.objects.all())[0].reasons if r[0].name not in EVIDENCE]
    assert (rule.name, finding.citation_id) == ("unverified", citation.pk)
    assert "not at offsets" in finding.detail
    Citation.objects.filter(pk=citation.pk).update(start=citation.start, end=citation.end)
    Passage.objects.filter(pk=other.pk).update(text=other.text + " (edited)")
    (finding,) = review.unverified(Entry.objects.all())
    assert "no longer its source's text" in finding.detail


def test_mark_reviewed_settles_judgements_until_the_entry_changes(editor, owner, timeline, passage):
    entry = published(timeline, editor, "One source", (passage, Stance.SUPPORTS))
    version = entry.version
    entry_mark_reviewed(entry=entry, actor=owner)
    entry.refresh_from_db()
    assert (entry.reviewed_by, entry.version, entry.reviewed_version) == (owner, version, version)
    assert (entry.history.first().history_action, entry.history.first().history_note) == ("reviewed", "Marked reviewed")
    assert "One source" not in reasons(timeline)
    entry_update(entry=entry, actor=editor, headline="One source, reworded")
    assert reasons(timeline)["One source, reworded"] == {"single-source", "changed-since-review"}
    entry_mark_reviewed(entry=entry, actor=owner)
    assert reasons(timeline) == {}
    citation_create(actor=editor, entry=entry, passage=passage, quote="voted unanimously", stance=Stance.CONTEXT)
    assert "changed-since-review" in reasons(timeline)["One source, reworded"]


def test_with_the_two_person_rule_another_editor_approves_or_sends_back(owner, editor, timeline, passage):
    timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    timeline.refresh_from_db()
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    citation_create(actor=editor, entry=entry, passage=passage)
    with pytest.raises(ValidationError, match="ask for review"):
        entry_set_status(entry=entry, actor=editor, status=Status.PUBLISHED)
    entry_request_review(entry=entry, actor=editor)
    assert reasons(timeline)["Vote"] == {"awaiting-review"}
    with pytest.raises(PermissionDenied, match="Another editor"):
        entry_approve(entry=entry, actor=editor)
    entry_send_back(entry=entry, actor=owner, note="Cite a second source.")
    entry.refresh_from_db()
    assert (entry.status, entry.review_note, entry.awaiting_review) == (Status.DRAFT, "Cite a second source.", False)
    entry_request_review(entry=entry, actor=editor)
    entry_approve(entry=entry, actor=owner)
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and not entry.awaiting_review
    rows = entry.history.order_by("history_date")
    said = [(row.history_action, row.history_note, row.history_change_reason) for row in rows]
    assert said[-4:] == [
        ("review_asked", "Asked for review", None),
        ("sent_back", "Sent back", "Cite a second source."),  # the reviewer's words are the reason
        ("review_asked", "Asked for review", None),
        ("published", f"Approved and published (asked by {editor.username})", None),
    ]


def test_only_owners_set_the_two_person_rule(editor, timeline):
    with pytest.raises(PermissionDenied):
        timeline_set_two_person_rule(timeline=timeline, actor=editor, on=True)


@pytest.mark.parametrize("sent", ["voted unanimously", "\u202eevil", "entry-detail", "http://elsewhere.example/"])
def test_a_reviewed_button_with_a_next_that_is_no_path_of_ours_goes_back_to_the_timeline(
    login, editor, timeline, passage, sent
):
    entry = published(timeline, editor, "One source", (passage, Stance.SUPPORTS))
    done = login(editor).post(reverse("entry-mark-reviewed", args=[timeline.slug, entry.pk]), {"next": sent})
    assert done.status_code == 302 and done["Location"] == f"{timeline.get_absolute_url()}#entry-{entry.pk}"


def test_the_review_pages_for_editors(login, owner, editor, viewer, timeline, passage):
    entry = published(timeline, editor, "One source", (passage, Stance.SUPPORTS))
    url = reverse("timeline-review", args=[timeline.slug])
    page = login(editor).get(url).text
    assert "Rests on a single source" in page and reverse("entry-suggest", args=[timeline.slug, entry.pk]) in page
    assert "two-person rule" not in page  # the setting is the owner's
    assert login(viewer).get(url).status_code == 403
    done = login(editor).post(reverse("entry-mark-reviewed", args=[timeline.slug, entry.pk]), {"next": url})
    assert done["Location"] == url
    assert "Nothing needs attention." in login(editor).get(url).text
    client = login(owner)
    client.post(reverse("timeline-review-rule", args=[timeline.slug]), {"two_person_rule": "on"})
    timeline.refresh_from_db()
    assert timeline.two_person_rule
    assert "Publishing needs a second editor" in client.get(url).text


def test_verify_citations_passes_on_the_seeds_and_names_a_corrupted_citation(seeded):
    out = io.StringIO()
    call_command("verify_citations", stdout=out)
    said = f"All {Citation.objects.count()} citations verify, and none of 34 entries claims more than its evidence."
    assert out.getvalue().startswith(said)
    citation = Citation.objects.order_by("id")[3]
    Citation.objects.filter(pk=citation.pk).update(start=citation.start + 2, end=citation.end + 2)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of the checks failed"):
        call_command("verify_citations", stdout=io.StringIO(), stderr=err)
    assert f"citation {citation.pk} (“{citation.quote[:60]}”" in err.getvalue()
    assert f"not at offsets {citation.start + 2}–{citation.end + 2}" in err.getvalue()


def test_verify_citations_sees_a_passage_that_is_no_longer_its_sources_text(seeded):
    cited = Citation.objects.order_by("id").first()
    Source.objects.filter(pk=cited.passage.source_id).update(text="Replaced " + cited.passage.source.text)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_citations", stdout=io.StringIO(), stderr=err)
    assert f"citation {cited.pk} " in err.getvalue() and "no longer its source's text" in err.getvalue()


def test_the_demo_queue_lists_its_single_source_disputed_and_weak_entries_and_nothing_of_the_evidence_rules(seeded):
    queue = reasons(seeded, {rule.name for rule in review.RULES})
    # None of the demo's entries claims a date, a stance or a source stronger than its citations allow.
    assert not [(headline, names & EVIDENCE) for headline, names in queue.items() if names & EVIDENCE]
    assert queue["Killings in Moura"] == {"single-source"}  # one reliable source: worth a second
    assert queue["Military coup brings the junta to power"] == {"disputed"}
    assert queue["Sources differ on MINUSMA’s size: about 13,000 or over 15,000"] == {"disputed"}
    assert queue["MINUSMA withdrawn on 1 July 2024, according to Luca Iotti"] == {"single-source", "disputed"}
    # The two drafts rest on the article rated unreliable alone: the queue says so, and they stay drafts.
    assert queue["Military coup in 2012, according to one unreliable article"] == {"weak-support"}
    halt = "US halts support for the UN mission, according to one unreliable article"
    assert queue[halt] == {"weak-support", "disputed"}
    assert "Algiers peace agreement" not in queue  # three sources agree
    assert all(names <= {"single-source", "disputed", "weak-support"} for names in queue.values())


@pytest.mark.parametrize("count", [10, 1000])
def test_the_review_queue_needs_the_same_queries_for_10_or_1000_entries(
    login, editor, timeline, count, django_assert_max_num_queries
):
    # Dated passages, so that every rule has work: dates in the quotes and passages, ratings to read.
    passages = [
        source_import(
            data=f"Report {k}\n\nThe council voted in 2019, on day {k}.\n".encode(),
            origin=f"report-{k}.txt",
            published=dates.parse("2019-06"),
        ).passages.get(number=2)
        for k in range(40)
    ]
    source_rate(actor=editor, timeline=timeline, source=passages[0].source, reliability="mixed")
    make_big_timeline(timeline, passages, count, quote="voted in 2019")
    Entry.objects.filter(timeline=timeline).update(
        status=Status.PUBLISHED, reviewed_at=timezone.now(), reviewed_by=editor, reviewed_version=0
    )
    client = login(editor)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("timeline-review", args=[timeline.slug]))
    page = response.text
    assert page.count('class="review-item"') == count
    assert page.count("Changed since it was last reviewed") == count + 1  # and the rules' list
    # The evidence rules ran over every entry: none of the month dates is given by "2019", each rests on one
    # unrated (or mixed) source, and the quote's year is outside every entry's date but 2019's.
    assert page.count("Date stronger than its evidence") == count + 1
    assert page.count("Single weak source") == count + 1
    in_2019 = sum(1 for i in range(count) if i % 24 == 19)  # make_big_timeline dates entry i in 2000 + i % 24
    assert page.count("a supporting quote is dated “2019”") == count - in_2019
    if count == 1000:  # entries cite the same words as supporting and contradicting, unlinked
        assert "neither links to the other as a competing account" in page


def test_a_revert_cannot_publish_past_the_two_person_rule(owner, editor, timeline, passage):
    from factline.services import entry_revert

    entry = published(timeline, editor, "Vote", (passage, Stance.SUPPORTS))
    entry = entry_set_status(entry=entry, actor=editor, status=Status.DRAFT)
    timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    was_published = entry.history.filter(status=Status.PUBLISHED).first()
    with pytest.raises(ValidationError, match="ask for review"):
        entry_revert(entry=Entry.objects.get(pk=entry.pk), actor=editor, history_id=was_published.history_id)
    assert Entry.objects.get(pk=entry.pk).status == Status.DRAFT


def test_the_entry_history_tells_the_reviews_in_words(login, owner, editor, timeline, passage):
    timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    citation_create(actor=editor, entry=entry, passage=passage)
    entry_request_review(entry=entry, actor=editor)
    entry_send_back(entry=entry, actor=owner, note="Needs a second source.")
    entry_mark_reviewed(entry=entry, actor=owner)
    page = login(editor).get(reverse("entry-history", args=[timeline.slug, entry.pk])).text
    for words in ("asked for review", "sent back: “Needs a second source.”", "marked reviewed", "Mark reviewed"):
        assert words in page, words
    activity = login(owner).get(reverse("timeline-activity", args=[timeline.slug])).text
    assert "publishing needs a second editor" in activity


@pytest.mark.parametrize("version", ["", "abc", "-1", "1.5", None], ids=repr)
def test_asking_for_review_or_approving_without_a_version_is_refused_with_400(
    login, owner, editor, timeline, passage, version
):
    timeline_set_two_person_rule(timeline=timeline, actor=owner, on=True)
    entry = entry_create(actor=editor, timeline=timeline, start=datetime.date(2023, 6, 30), headline="Vote")
    citation_create(actor=editor, entry=entry, passage=passage)
    data = {} if version is None else {"version": version}

    asked = login(editor).post(reverse("entry-ask-review", args=[timeline.slug, entry.pk]), data)
    assert asked.status_code == 400 and "must say which version" in asked.text
    assert not Entry.objects.get().awaiting_review

    entry_request_review(entry=entry, actor=editor)
    approve = {"decision": "approve", **data}
    approved = login(owner).post(reverse("entry-review", args=[timeline.slug, entry.pk]), approve)
    assert approved.status_code == 400 and "must say which version" in approved.text
    assert Entry.objects.get().status == Status.DRAFT
