"""A short `make loadtest`: a few editors saving entries of one timeline at once, through a real server."""

from urllib.parse import urlsplit

import pytest

from bench import loadtest


@pytest.mark.django_db(transaction=True)
def test_concurrent_editors_lose_no_save_and_see_every_conflict(live_server):
    plan = loadtest.prepare(editors=4, entries=3)
    before = loadtest.counts(plan.slug)
    address = urlsplit(live_server.url)

    tally = loadtest.edit(address.hostname, address.port, plan, seconds=3)

    after = loadtest.counts(plan.slug)
    assert tally.errors == []
    assert tally.accepted > 0
    # Every save that was accepted is exactly one new version and one new history row; none was lost.
    assert after[0] - before[0] == tally.accepted
    assert after[1] - before[1] == tally.accepted
    assert loadtest.report(tally, before, after, editors=4)
