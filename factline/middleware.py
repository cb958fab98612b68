"""Middleware: a strict Content-Security-Policy, htmx requests that find their session gone, and NotFound as 404."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from factline.selectors import NotFound


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # The admin ships inline scripts of its own; it is for staff only and keeps Django's defaults.
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class HtmxLoginRequiredMiddleware:
    """Answer 401 to an htmx request that login_required would send to the login page.

    The browser would follow that redirect and htmx would swap the whole login page into the
    block being edited, losing what was typed. A 401 swaps nothing: the page says the session
    ended (static/js/factline.js), and the form keeps its text for the next try.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            login = resolve_url(settings.LOGIN_URL)
            if response.headers.get("Location", "").split("?")[0] == login:
                return HttpResponse("Your session has ended. Log in again.", status=401, content_type="text/plain")
        return response


class NotFoundMiddleware:
    """Answer the selectors' NotFound as Django answers Http404: with the 404 page.

    Selectors say "not found" in the domain's words, so they can be called from commands and tests
    as well as views; a view need not catch it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, NotFound):
            # Raised from here, Http404 reaches Django's own handler, which renders templates/404.html.
            raise Http404(str(exception)) from exception
