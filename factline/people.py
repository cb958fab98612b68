"""How people are named on pages: their display name, else their username.

Every page that names a person (history, activity, members, comments) goes through `display_name`
or the `person` template filter, so a name is chosen in one place. The display name is the user's
`first_name` (set on the profile page): it is read with the user row itself, so a page that already
fetches `history_user` (select_related) names people without one more query.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

# What Django's User.first_name holds; the profile form's cap.
DISPLAY_NAME_MAX = 150


def display_name(user: AbstractBaseUser | AnonymousUser | None, default: str = "") -> str:
    """The name to show for `user`: the display name they chose, else their username; `default` for nobody."""
    if user is None or not getattr(user, "pk", None):
        return default
    chosen = (getattr(user, "first_name", "") or "").strip()
    return chosen or user.get_username()
