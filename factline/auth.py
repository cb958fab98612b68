"""Authentication backends: django-axes' throttle, for logins made through a request."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend  # type: ignore[import-untyped]  # axes ships no types
from django.http import HttpRequest


class ThrottledBackend(AxesStandaloneBackend):
    """django-axes' check, skipped where there is no request to throttle (a shell, the test client's login).

    Every login by a person goes through LoginView, which passes its request; axes' own backend refuses
    a call without one, which would only break code that never faces the internet.
    """

    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
