"""Selectors: what each person may see and do is read from one place, and "not found" is the domain's own."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from factline import selectors
from factline.models import Timeline
from factline.models.timelines import Role


@pytest.mark.parametrize(
    ("person", "can_edit", "can_manage"),
    [("owner", True, True), ("editor", True, False), ("viewer", False, False)],
)
def test_a_timeline_fetched_for_a_member_says_what_they_may_do(request, timeline, person, can_edit, can_manage):
    found = selectors.timeline_for(request.getfixturevalue(person), timeline.slug)
    assert (found.can_edit, found.can_manage) == (can_edit, can_manage)
    [listed] = selectors.timelines_for(request.getfixturevalue(person))
    assert (listed.can_edit, listed.can_manage) == (can_edit, can_manage)


def test_a_timeline_fetched_for_nobody_lets_nobody_edit_or_manage(timeline):
    fetched = Timeline.objects.get(pk=timeline.pk)
    assert not fetched.can_edit and not fetched.can_manage


def test_people_who_may_not_see_a_timeline_get_the_domains_not_found(outsider, timeline):
    for person in (outsider, AnonymousUser()):
        with pytest.raises(selectors.NotFound) as raised:
            selectors.timeline_for(person, timeline.slug)
        assert not isinstance(raised.value, Http404)  # views answer 404 through the middleware
    with pytest.raises(selectors.NotFound):
        selectors.shared_timeline("no-such-token")


def test_a_member_below_the_role_asked_for_is_refused(viewer, timeline):
    with pytest.raises(PermissionDenied):
        selectors.timeline_for(viewer, timeline.slug, at_least=Role.EDITOR)


def test_the_roles_at_least_a_role_are_those_that_cover_it():
    assert Role.at_least(Role.VIEWER) == [Role.OWNER, Role.EDITOR, Role.VIEWER]
    assert Role.at_least(Role.EDITOR) == [Role.OWNER, Role.EDITOR]
    assert Role.at_least(Role.OWNER) == [Role.OWNER]
