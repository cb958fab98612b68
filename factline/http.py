"""The requests views receive, typed: every one carries htmx's details, and behind login_required a user."""

from django.contrib.auth.models import User
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class Request(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says whether htmx sent it, and for what."""

    htmx: HtmxDetails


class AuthenticatedRequest(Request):
    """A request to a view behind login_required: its user has signed in."""

    user: User
