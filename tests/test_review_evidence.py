"""The evidence rules of the review queue and verify_citations: no date, stance or source stronger than the citations.

Each runs on a small timeline made for it; the demo timeline shows none of them (tests/test_review.py).
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from factline import dates, review
from factline.models import Entry
from factline.models.timelines import Stance, Status
from factline.services import (
    citation_create,
    entry_create,
    entry_mark_reviewed,
    entry_set_status,
    entry_update,
    source_import,
    source_rate,
)

JUNE = (
    "Council report\n\n"
    "On June 16, the minister ordered the mission out. The council is set to vote on Friday.\n\n"
    "Two coups, in 2020 and 2021, brought the junta to power. The junta seized power in 2021.\n\n"
    "The accord was signed in 2015. The mission was to end by December 31.\n\n"
    "Peacekeepers served from 2013 to 2023.\n"
)


@pytest.fixture
def june(db):
    """A report of June 2023: its "June 16" and "December 31" resolve, its "on Friday" cannot (too coarse)."""
    return source_import(
        data=JUNE.encode(), origin="june.txt", title="Council report", published=dates.parse("2023-06")
    )


def para(source, number: int):
    return source.passages.get(number=number)


def entry(timeline, actor, headline, when, *cited, publish=False, **fields):
    """An entry dated `when` ("2023-06-16", "c. June 2023"…) citing (passage, quote, stance) triples."""
    date = dates.parse(when)
    made = entry_create(actor=actor, timeline=timeline, start=date.date, precision=date.precision,
                        approximate=date.approximate, headline=headline, **fields)  # fmt: skip
    for passage, quote, stance in cited:
        citation_create(actor=actor, entry=made, passage=passage, quote=quote, stance=stance)
    if publish:
        made = entry_set_status(entry=made, actor=actor, status=Status.PUBLISHED)
    return made


def found(timeline, check) -> dict[str, list[str]]:
    """What one rule finds on `timeline`: headline → the details."""
    findings = list(check(Entry.objects.filter(timeline=timeline)))
    headlines = dict(Entry.objects.filter(pk__in=[f.entry_id for f in findings]).values_list("pk", "headline"))
    out: dict[str, list[str]] = {}
    for finding in findings:
        out.setdefault(headlines[finding.entry_id], []).append(finding.detail)
    return out


S, X, C = Stance.SUPPORTS, Stance.CONTRADICTS, Stance.CONTEXT


# -- date stronger than its evidence --


def test_a_date_no_supporting_passage_gives_is_listed_unless_approximate_with_a_note(editor, timeline, june):
    order = (para(june, 2), "the minister ordered the mission out", S)
    vote = (para(june, 2), "The council is set to vote on Friday.", S)
    entry(timeline, editor, "Order, stated", "2023-06-16", order)
    entry(timeline, editor, "Order, to the month", "2023-06", order)  # a day gives its month
    entry(timeline, editor, "Vote, to the day", "2023-06-30", vote)  # "on Friday" against a month: unresolved
    entry(timeline, editor, "Order, a year early", "2022", order)
    entry(timeline, editor, "Vote, approximate", "c. 2023-06-30", vote)
    entry(timeline, editor, "Vote, worked out", "c. 2023-06-30", vote, date_note="Friday after June 16, 2023.")
    entry(timeline, editor, "Vote, noted only", "2023-06-30", vote, date_note="Friday after June 16, 2023.")
    entry(timeline, editor, "No support yet", "2023-06-30", (para(june, 2), "set to vote", C))
    assert found(timeline, review.date_beyond_evidence) == {
        "Vote, to the day": [
            "no date in its supporting passages gives 30 June 2023 (they give 16 June 2023); mark it approximate "
            "and say how it was worked out"
        ],
        "Order, a year early": [
            "no date in its supporting passages gives 2022 (they give 16 June 2023); "
            "mark it approximate and say how it was worked out"
        ],
        "Vote, approximate": [
            "no date in its supporting passages gives c. 30 June 2023 (they give 16 June 2023); "
            "say how it was worked out"
        ],
        "Vote, noted only": [
            "no date in its supporting passages gives 30 June 2023 (they give 16 June 2023); mark it approximate"
        ],
    }


def test_a_span_needs_its_end_given_too_and_context_passages_give_nothing(editor, timeline, june):
    served = (para(june, 5), "Peacekeepers served from 2013 to 2023.", S)
    entry(timeline, editor, "Served", "2013", served, end=datetime.date(2023, 1, 1), end_precision="year")
    entry(timeline, editor, "Served longer", "2013", served, end=datetime.date(2024, 1, 1), end_precision="year")
    accord = (para(june, 4), "The accord was signed", S)
    entry(timeline, editor, "Accord, from context", "2013", accord, (para(june, 5), "from 2013 to 2023", C))
    assert set(found(timeline, review.date_beyond_evidence)) == {"Served longer", "Accord, from context"}
    assert (
        "gives its end, 2024 (they give 2013, 2023)" in found(timeline, review.date_beyond_evidence)["Served longer"][0]
    )


def test_a_date_the_resolver_only_guesses_is_no_evidence_for_an_exact_date(editor, timeline):
    # "last year" in an article of c. 2023 is 2022 give or take a year: the resolver marks it approximate.
    vague = source_import(data=b"Vague\n\nIt began last year.\n", origin="vague.txt", published=dates.parse("c. 2023"))
    began = (para(vague, 2), "It began last year.", S)
    entry(timeline, editor, "Began, exactly", "2022", began)
    entry(timeline, editor, "Began, approximately", "c. 2022", began, date_note="“last year” in an article of c. 2023.")
    assert set(found(timeline, review.date_beyond_evidence)) == {"Began, exactly"}


# -- stance contradicts a sibling --


def test_the_same_words_supporting_one_account_and_contradicting_its_sibling_are_listed(editor, timeline, june):
    coups, junta = para(june, 3), "The junta seized power in 2021."
    two = (coups, "Two coups, in 2020 and 2021", S)
    first = entry(timeline, editor, "First coup", "2020", two, (coups, junta, X))
    second = entry(timeline, editor, "Second coup", "2021", two, (coups, junta, S))
    assert found(timeline, review.stance_contradicts_sibling) == {
        "First coup": [f"“{junta}” contradicts it and supports “Second coup”: both rest on the same supporting words"],
        "Second coup": [f"“{junta}” supports it and contradicts “First coup”: both rest on the same supporting words"],
    }
    # Consistent stances: the words are context where they do not say what the entry says.
    second.citations.filter(quote=junta).delete()
    citation_create(actor=editor, entry=second, passage=coups, quote=junta, stance=C)
    assert found(timeline, review.stance_contradicts_sibling) == {}
    assert {c.stance for c in first.citations.all()} == {S, X}  # the dispute stays, shown once


def test_competing_accounts_may_share_words_once_they_link_to_each_other(editor, timeline, june):
    deadline = (para(june, 4), "The mission was to end by December 31.", S)
    reported = source_import(data=b"Later\n\nThe mission was withdrawn on July 1, 2024.\n", origin="later.txt")
    ended = entry(timeline, editor, "Deadline", "2023-12-31", deadline)
    late = entry(timeline, editor, "Withdrawn in 2024", "2024-07-01",
                 (para(reported, 2), "The mission was withdrawn on July 1, 2024.", S), (*deadline[:2], X))  # fmt: skip
    assert set(found(timeline, review.stance_contradicts_sibling)) == {"Deadline", "Withdrawn in 2024"}
    assert "neither links to the other" in found(timeline, review.stance_contradicts_sibling)["Deadline"][0]
    entry_update(entry=late, actor=editor, body=f"Against the [deadline](#entry-{ended.pk}).")
    assert found(timeline, review.stance_contradicts_sibling) == {}


def test_a_supporting_quote_dated_outside_the_entry_is_listed_and_a_range_counts_whole(editor, timeline, june):
    accord, served = para(june, 4), para(june, 5)
    off = entry(timeline, editor, "Accord, misdated", "2023", (accord, "The accord was signed in 2015.", S))
    entry(timeline, editor, "Accord", "2015", (accord, "The accord was signed in 2015.", S))
    entry(timeline, editor, "About then", "c. 2016", (accord, "signed in 2015", S))  # c. 2016: 2015 to 2017
    entry(timeline, editor, "Within the range", "2018", (served, "from 2013 to 2023", S))
    entry(timeline, editor, "Context may differ", "2023", (accord, "The mission was to end by December 31.", S),
          (accord, "The accord was signed in 2015.", C))  # fmt: skip
    findings = list(review.stance_contradicts_sibling(Entry.objects.filter(timeline=timeline)))
    assert [(f.entry_id, f.citation_id) for f in findings] == [(off.pk, off.citations.get().pk)]
    assert findings[0].detail == "a supporting quote is dated “2015” (2015), outside the entry's date"


# -- single weak source --


def test_a_published_entry_resting_on_one_source_not_rated_reliable_is_listed(editor, timeline, june):
    other = source_import(data=b"Wire\n\nThe minister ordered the mission out.\n", origin="wire.txt", title="Wire")
    order = (para(june, 2), "the minister ordered the mission out", S)
    entry(timeline, editor, "One source", "2023-06-16", order, publish=True)
    entry(timeline, editor, "Two sources", "2023-06-16", order, (para(other, 2), "ordered the mission out", S),
          publish=True)  # fmt: skip
    entry(timeline, editor, "A draft", "2023-06-16", order)
    assert found(timeline, review.single_weak_source) == {
        "One source": ["its one source, “Council report”, is not rated on this timeline"]
    }
    source_rate(actor=editor, timeline=timeline, source=june, reliability="mixed")
    assert found(timeline, review.single_weak_source) == {
        "One source": ["its one source, “Council report”, is rated mixed on this timeline"]
    }
    source_rate(actor=editor, timeline=timeline, source=june, reliability="reliable")
    assert found(timeline, review.single_weak_source) == {}


# -- the queue and verify_citations --


def test_verify_citations_fails_on_them_until_an_editor_judges_the_entry(editor, owner, timeline, june):
    vote = entry(timeline, editor, "Vote", "2023-06-30", (para(june, 2), "set to vote on Friday", S), publish=True)
    source_rate(actor=editor, timeline=timeline, source=june, reliability="reliable")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of the checks failed"):
        call_command("verify_citations", stdout=io.StringIO(), stderr=err)
    assert f"FAILED date-beyond-evidence: entry {vote.pk} “Vote” on {timeline.slug}: no date" in err.getvalue()
    out = io.StringIO()
    call_command("verify_citations", "--rule", "unverified", stdout=out)  # the quotes themselves hold
    assert out.getvalue() == "All 1 citations verify.\n"
    entry_mark_reviewed(entry=vote, actor=owner)  # an editor judged the date good enough
    out = io.StringIO()
    call_command("verify_citations", stdout=out)
    assert out.getvalue().startswith("All 1 citations verify, and none of 1 entries")


def test_the_queue_lists_them_with_their_reasons(login, editor, timeline, june):
    from django.urls import reverse

    entry(timeline, editor, "Vote", "2023-06-30", (para(june, 2), "set to vote on Friday", S), publish=True)
    page = login(editor).get(reverse("timeline-review", args=[timeline.slug])).text
    for title in ("Date stronger than its evidence", "Single weak source"):
        assert page.count(title) == 2, title  # the entry's reason and the rules' list
    assert "no date in its supporting passages gives 30 June 2023" in page
