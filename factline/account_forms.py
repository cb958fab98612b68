"""Forms of the people side: inviting, signing up, the profile."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator

from factline.forms import once_field
from factline.limits import SINGLE_LINE
from factline.models.timelines import Role
from factline.people import DISPLAY_NAME_MAX


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.EDITOR)
    once = once_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite_%s")  # its ids beside the add-by-username form's on one page
        super().__init__(*args, **kwargs)


class SignupForm(forms.Form):
    """A new account; under an invitation its email is the invited address and not asked for."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        validators=[UnicodeUsernameValidator(), *SINGLE_LINE],
        help_text="How you log in: letters, digits and @ . + - _ only.",
    )
    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX,
        required=False,
        validators=SINGLE_LINE,  # a name shown in history must read as it is stored
        help_text="Shown in history and activity instead of your username (optional).",
    )
    email = forms.EmailField(label="Email address", max_length=254, help_text="For resetting your password.")
    password1 = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Password again", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, invited_email: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.invited_email = invited_email
        if invited_email is not None:
            del self.fields["email"]
        self.fields["password1"].help_text = password_validation.password_validators_help_text_html()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("This username is taken; choose another.")
        return username

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            email = self.invited_email if self.invited_email is not None else data.get("email", "")
            candidate = get_user_model()(
                username=data.get("username", ""), email=email, first_name=data.get("display_name", "")
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data

    @property
    def account(self) -> dict[str, str]:
        """What account_create takes."""
        data = self.cleaned_data
        email = self.invited_email if self.invited_email is not None else data["email"]
        return {
            "username": data["username"],
            "email": email,
            "password": data["password1"],
            "display_name": data["display_name"],
        }


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Display name",
        max_length=DISPLAY_NAME_MAX,
        required=False,
        validators=SINGLE_LINE,
        help_text="Shown in history and activity instead of your username. Leave empty to show your username.",
    )
    email = forms.EmailField(
        label="Email address", max_length=254, required=False, help_text="Password resets are sent here."
    )
