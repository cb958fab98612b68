"""The reading view's dates, "New entry from this date", and dates typed in other languages."""

import datetime

from django.urls import reverse

from factline.models import DateMention, Entry
from factline.models.timelines import Stance
from factline.services import source_update


def dated(source, editor):
    source_update(source=source, actor=editor, published=datetime.date(2023, 6, 30))
    return DateMention.objects.get(passage__source=source, text="on Friday")


def test_the_reading_view_marks_each_date_with_what_it_resolves_to(login, editor, timeline, source):
    friday = dated(source, editor)
    page = login(editor).get(source.get_absolute_url()).text
    assert f'<mark class="date-mark" id="d{friday.pk}"' in page
    assert "New entry from this date" in page and "30 June 2023" in page
    assert reverse("mention-entry", args=[friday.pk]) in page


def test_new_entry_from_a_date_fills_the_date_and_cites_the_sentence_trimmed_by_the_editor(
    login, editor, timeline, source
):
    friday = dated(source, editor)
    client = login(editor)
    opened = client.get(reverse("mention-entry", args=[friday.pk]))
    create = reverse("entry-create", args=[timeline.slug]) + f"?mention={friday.pk}"
    assert opened.status_code == 302 and opened["Location"] == create
    form = client.get(create).text
    assert 'value="30 June 2023"' in form
    assert "The Security Council voted unanimously on Friday to end the mission.</textarea>" in form
    data = {"date": "30 June 2023", "headline": "The Council ends the mission", "passage": friday.passage_id}
    refused = client.post(create, {**data, "quote": "voted on Friday"})
    assert refused.status_code == 422 and "not in the passage word for word" in refused.text
    assert not Entry.objects.exists()
    saved = client.post(create, {**data, "quote": "voted unanimously on Friday"})
    assert saved.status_code == 302
    entry = Entry.objects.get()
    (citation,) = entry.citations.all()
    assert (entry.start, entry.precision) == (datetime.date(2023, 6, 30), "day")
    assert (citation.quote, citation.stance, citation.passage_id) == (
        "voted unanimously on Friday",
        Stance.SUPPORTS,
        friday.passage_id,
    )


def test_someone_with_several_timelines_chooses_one_and_a_viewer_cannot(login, editor, viewer, timeline, source):
    from factline.services import timeline_create

    friday = dated(source, editor)
    other = timeline_create(actor=editor, title="Second")
    client = login(editor)
    url = reverse("mention-entry", args=[friday.pk])
    assert "On which timeline?" in client.get(url).text
    chosen = client.get(url, {"timeline": other.slug})
    assert chosen["Location"].startswith(reverse("entry-create", args=[other.slug]))
    assert login(viewer).get(url).status_code == 403


def test_the_entry_form_takes_dates_in_other_languages_and_keeps_its_english_errors(login, editor, timeline):
    client = login(editor)
    url = reverse("entry-create", args=[timeline.slug])
    assert client.post(url, {"date": "1 juillet 2013", "headline": "A"}).status_code == 302
    assert client.post(url, {"date": "juillet 2013", "headline": "B"}).status_code == 302
    assert sorted(Entry.objects.values_list("headline", "start", "precision")) == [
        ("A", datetime.date(2013, 7, 1), "day"),
        ("B", datetime.date(2013, 7, 1), "month"),
    ]
    refused = client.post(url, {"date": "vendredi", "headline": "C"})
    assert refused.status_code == 422
    assert "“vendredi” is not a date we can read. Write it like 2013, July 2013" in refused.text


def test_a_source_edited_to_a_partial_date_resolves_its_dates_from_it(login, editor, timeline, source):
    client = login(editor)
    url = reverse("source-edit", args=[source.pk])
    data = {"title": source.title, "publisher": "", "author": "", "url": "", "reliability": "", "reliability_note": ""}
    assert client.post(url, {**data, "published": "c. June 2023"}).status_code == 302
    source.refresh_from_db()
    assert (source.published_display, source.published_iso) == ("c. June 2023", "2023-06")
    friday = DateMention.objects.get(passage__source=source, text="on Friday")
    assert friday.value is None and "c. June 2023" in friday.reason
    page = client.get(source.get_absolute_url()).text
    assert "<dt>Published</dt><dd>c. June 2023</dd>" in page
    assert 'value="c. June 2023"' in client.get(url).text
    assert "publication date none → c. June 2023" in client.get(reverse("source-history", args=[source.pk])).text


def test_a_date_that_does_not_exist_keeps_its_own_error(login, editor, timeline):
    client = login(editor)
    url = reverse("entry-create", args=[timeline.slug])
    assert "There is no month 13." in client.post(url, {"date": "2023-13", "headline": "A"}).text
    assert "February 2023 has no day 31." in client.post(url, {"date": "31 February 2023", "headline": "A"}).text
