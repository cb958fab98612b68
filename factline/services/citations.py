"""Citing passages from entries, and removing citations."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from factline.models import Citation, Entry, Passage
from factline.models.timelines import Role, Stance
from factline.quotes import QuoteNotFound, anchor
from factline.services.base import Action, User, one_change, record, require_role


@one_change
def citation_create(
    *,
    actor: User | None,
    entry: Entry,
    passage: Passage,
    quote: str = "",
    stance: str = Stance.SUPPORTS,
    start: int | None = None,
    reason: str = "",
) -> Citation:
    """Cite the exact `quote` of `passage` (the whole passage when no quote is given)."""
    require_role(actor, entry.timeline, Role.EDITOR)
    if passage.boilerplate:
        raise ValidationError({"passage": f"¶{passage.number} is boilerplate and cannot be cited."})
    try:
        found = anchor(passage.text, quote or passage.text, start)
    except QuoteNotFound as error:
        raise ValidationError({"quote": error.message}, code="not_in_passage") from None
    # A double click or a second tab must not cite the same words twice.
    if Citation.objects.filter(entry=entry, passage=passage, start=found.start, end=found.end).exists():
        raise _duplicate()
    citation = Citation(
        entry=entry,
        passage=passage,
        stance=stance,
        quote=found.exact,
        start=found.start,
        end=found.end,
        prefix=found.prefix,
        suffix=found.suffix,
    )
    citation.full_clean(exclude=["entry", "passage"])
    note = f"Cited {passage.source} ¶{passage.number} ({citation.get_stance_display()})"
    record(citation, actor, Action.CITED, reason=reason, note=note)
    try:
        with transaction.atomic():
            citation.save()
    except IntegrityError:
        # The same cite sent at once past the check above (PostgreSQL): the constraint let one in.
        raise _duplicate() from None
    return citation


def _duplicate() -> ValidationError:
    return ValidationError({"quote": "This entry already cites these words."}, code="duplicate")


@one_change
def citation_delete(*, citation: Citation, actor: User | None, reason: str = "") -> None:
    require_role(actor, citation.entry.timeline, Role.EDITOR)
    # The entry as it is now, locked: whether this is the last support of a published entry must
    # not be judged on a copy loaded before someone published it.
    citation.entry = Entry.objects.select_for_update().select_related("timeline").get(pk=citation.entry_id)
    record(citation, actor, Action.UNCITED, reason=reason, note="Citation removed")
    citation.delete()
