"""Signing up (when open), the profile page, and the login page's answer to a locked-out attempt."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView as DjangoLoginView
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from factline import services
from factline.account_forms import ProfileForm, SignupForm
from factline.http import AuthenticatedRequest

BACKEND = "django.contrib.auth.backends.ModelBackend"
LOCKED = (
    "Too many failed attempts to log in as this user from your address: logging in is locked for 15 minutes. "
    "If you have forgotten your password, reset it by email meanwhile."
)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Open sign-up, only where FACTLINE_OPEN_SIGNUP turns it on; otherwise people join by invitation."""
    if not settings.FACTLINE_OPEN_SIGNUP:
        raise Http404("Sign-up is by invitation only.")
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.account_create(**form.account)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            login(request, user, backend=BACKEND)
            messages.success(request, "Your account is ready. Create a timeline, or ask an owner to invite you.")
            return redirect("dashboard")
    return render(request, "accounts/signup.html", {"form": form}, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ProfileForm(request.POST or None, initial={"display_name": user.first_name, "email": user.email})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=user, **form.cleaned_data)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error({"first_name": "display_name"}.get(field, field) if field != "__all__" else None, errors)
        else:
            messages.success(request, "Profile saved.")
            return redirect("profile")
    return render(request, "accounts/profile.html", {"form": form}, status=422 if form.errors else 200)


def locked_out(
    request: HttpRequest, credentials: dict[str, Any] | None = None, *args: Any, **kwargs: Any
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): the login page, saying why."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    form.data = {"username": username}  # shown as typed, the password left empty
    form.is_bound = False
    context = {
        "form": form,
        "locked": LOCKED,
        "next": request.POST.get("next", ""),
        "open_signup": settings.FACTLINE_OPEN_SIGNUP,
    }
    return render(request, "registration/login.html", context, status=429)


class LoginView(DjangoLoginView):
    """Django's login page, which also offers sign-up where it is open."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "open_signup": settings.FACTLINE_OPEN_SIGNUP}
