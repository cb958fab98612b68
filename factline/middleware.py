"""Middleware: a strict CSP, htmx's headers read or refused, logged-in pages kept out of shared caches, htmx
requests whose session is gone, NotFound as 404, turned-off links as 410."""

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.utils.cache import patch_cache_control

from factline import limits
from factline.http import bad_request
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


# What htmx's request headers may hold: an address (its own page's) or an element's id or name. Our pages
# never make longer ones; a control character (NUL, C1, bidi) or an overlong value is a crafted request.
HTMX_HEADERS = {"HX-Current-URL": 4000, "HX-Target": 200, "HX-Trigger": 200, "HX-Trigger-Name": 200}
# The characters no single line may hold (limits.HIDDEN), and the left-to-right and right-to-left marks.
_CONTROL = re.compile(f"[{limits.HIDDEN}\u200e\u200f]")


def htmx_header_problem(request: HttpRequest) -> str | None:
    """Why htmx's headers of this request cannot be read (None when they can), before any view reads them."""
    for name, limit in HTMX_HEADERS.items():
        value = request.headers.get(name)
        if value is None:
            continue
        if len(value) > limit or _CONTROL.search(value):
            return f"The {name} header of this request is not one htmx sends. Reload the page and try again."
    current = getattr(getattr(request, "htmx", None), "current_url", None)  # decoded by django-htmx
    if current is not None:
        try:
            urlsplit(current)
        except ValueError:
            current = None
        if current is None or _CONTROL.search(current) or len(current) > HTMX_HEADERS["HX-Current-URL"]:
            return "The page this request came from (HX-Current-URL) is not an address. Reload the page and try again."
    return None


class HtmxHeadersMiddleware:
    """Answer 400 to a request whose htmx headers are not an address or an id, before a view saves anything.

    Views read HX-Current-URL after saving (to put a new entry where it sorts): a header that failed
    there would answer 500 with the entry already saved, and a retry would add it twice.
    Listed after django-htmx's middleware, which decodes the headers into `request.htmx`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = htmx_header_problem(request)
        if problem is not None:
            return bad_request(request, problem)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page answered to someone logged in is `Cache-Control: private, no-cache` unless its view said otherwise.

    Such pages carry the person's CSRF token and what only members see: no shared cache may keep
    them, and the browser asks again before showing one (Back after logging out included). Public
    pages set their own caching (ETags), which this leaves alone; it is read first, so an anonymous
    public page never touches the session (and gains no `Vary: Cookie`).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Cache-Control" not in response.headers:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
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
