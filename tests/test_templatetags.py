"""The template filters pages share."""

import datetime

from django.template import Context, Template


def test_a_moment_for_a_time_element_carries_at_most_milliseconds():
    when = datetime.datetime(2024, 3, 1, 9, 0, 5, 123456, tzinfo=datetime.UTC)
    html = Template('{% load factline %}<time datetime="{{ when|moment }}">').render(Context({"when": when}))
    assert html == '<time datetime="2024-03-01T09:00:05.123+00:00">'


def test_a_missing_moment_is_empty():
    assert Template("{% load factline %}{{ when|moment }}").render(Context({"when": None})) == ""
