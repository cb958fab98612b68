"""Middleware: a strict CSP, htmx requests whose session is gone, NotFound as 404, turned-off links as 410."""

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_cache_control

from factline.selectors import LinkMissing, LinkRevoked, Moved, NotFound

# The only answers other sites may frame: a timeline's embed (its public link's or a snapshot's).
EMBED_ROUTES = {"public-embed", "snapshot-embed"}


def allow_framing(response: HttpResponse) -> HttpResponse:
    """Let any site frame this answer: `frame-ancestors *` instead of 'none', and no X-Frame-Options."""
    directives = [part.strip() for part in settings.CONTENT_SECURITY_POLICY.split(";") if part.strip()]
    kept = [part for part in directives if not part.startswith("frame-ancestors")]
    response["Content-Security-Policy"] = "; ".join([*kept, "frame-ancestors *"])
    response.xframe_options_exempt = True  # read by XFrameOptionsMiddleware
    return response


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

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Moved):
            return _moved(request, exception)
        if isinstance(exception, NotFound):
            # Raised from here, Http404 reaches Django's own handler, which renders templates/404.html.
            raise Http404(str(exception)) from exception
        return None


def _moved(request: HttpRequest, moved: Moved) -> HttpResponse:
    """The same page at the timeline's address now: /t/<old>/… → /t/<new>/…, with its query."""
    old_prefix = f"/t/{moved.old}/"
    if not request.path.startswith(old_prefix):
        raise Http404(str(moved)) from moved
    location = f"/t/{moved.slug}/{request.path[len(old_prefix) :]}"
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    # Temporary: the old address may be taken back by its timeline, or given up.
    return HttpResponseRedirect(location)


class PublicLinkMiddleware:
    """A public address that is not there answers with a reader's page, whether DEBUG is on or off.

    410 for a token its owner turned off (history knows it), 404 for one that never existed; an
    embed says it in its frame. Listed after NotFoundMiddleware, so it sees these NotFounds first.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LinkRevoked | LinkMissing):
            return None
        revoked = isinstance(exception, LinkRevoked)
        response = render(request, "public/link_unavailable.html", {"revoked": revoked}, status=410 if revoked else 404)
        patch_cache_control(response, no_cache=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        match = request.resolver_match
        if match is not None and match.url_name in EMBED_ROUTES:
            allow_framing(response)
        return response
