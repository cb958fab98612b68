"""The requests views receive, typed: every one carries htmx's details, and behind login_required a user."""

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails


class Request(HttpRequest):
    """A request as django-htmx's middleware leaves it: `request.htmx` says whether htmx sent it, and for what."""

    htmx: HtmxDetails


class AuthenticatedRequest(Request):
    """A request to a view behind login_required: its user has signed in."""

    user: User


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 that says what was wrong with the request (a crafted or truncated form, not a person's typing)."""
    return render(request, "400.html", {"message": message}, status=400)
