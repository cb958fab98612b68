"""Creating forms sent twice make one thing: a one-time token rendered in the form is claimed by the first sending.

A double click, a retry after a slow answer or the back button sends the same token again; the
repeat is answered with what the first sending made instead of making a second row. A form adopts
it with `once = once_field()` among its fields (forms.py) and, in its view,
`services.create_once(actor=…, token=form.cleaned_data["once"], kind="<route name>", model=…, create=lambda: …)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from factline.models import FormToken
from factline.services.base import User

M = TypeVar("M", bound=models.Model)

# Long past any double click or retry; the table holds at most a day of each person's creating forms.
LIFETIME = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Created(Generic[M]):
    """What a creating form's sending gave: the object, and whether this sending made it."""

    object: M | None  # None only for a repeat whose first result has been deleted since
    repeat: bool


def create_once(*, actor: User, token: str, kind: str, model: type[M], create: Callable[[], M]) -> Created[M]:
    """Run `create` unless `actor` already sent this `token`; then answer with what the first sending made.

    The token's row is written in the same transaction as what `create` makes: if `create` is refused,
    the token stays unused, so the corrected form can be sent again with it.
    """
    if not token:
        return Created(create(), repeat=False)  # a form rendered by an older page, or a script: no token
    with transaction.atomic():
        try:
            # PostgreSQL makes a concurrent sending of the same token wait here until the first
            # commits (and then fail); SQLite's IMMEDIATE transactions have already queued them.
            with transaction.atomic():
                claim = FormToken.objects.create(user=actor, token=token, kind=kind)
        except IntegrityError:
            return Created(created_before(actor=actor, token=token, kind=kind, model=model), repeat=True)
        made = create()
        claim.object_id = made.pk
        claim.save(update_fields=["object_id"])
        FormToken.objects.filter(user=actor, created__lt=timezone.now() - LIFETIME).delete()
    return Created(made, repeat=False)


def created_before(*, actor: User, token: str, kind: str, model: type[M]) -> M | None:
    """What `actor`'s sending of `token` with the form `kind` made, if it was sent and what it made is still there."""
    first = FormToken.objects.filter(user=actor, token=token, kind=kind).first()
    return model._default_manager.filter(pk=first.object_id).first() if first and first.object_id else None
