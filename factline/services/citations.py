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


@one_change
def citation_update(
    *,
    citation: Citation,
    actor: User | None,
    stance: str | None = None,
    quote: str | None = None,
    start: int | None = None,
    note: str | None = None,
    reason: str = "",
) -> Citation:
    """Change a citation's stance, its quote (other words of the same passage) or its editor's note, in place."""
    require_role(actor, citation.entry.timeline, Role.EDITOR)
    # Locked with its entry: whether it is the last support of a published entry is judged as things are now.
    Entry.objects.select_for_update().filter(pk=citation.entry_id).first()
    citation = Citation.objects.select_for_update().select_related("passage__source", "entry").get(pk=citation.pk)
    passage = citation.passage
    if stance is not None:
        if stance not in Stance.values:
            raise ValidationError({"stance": "Choose supports, contradicts or context."})
        citation.stance = stance
    if quote is not None and (
        quote.strip() != citation.quote.strip() or (start is not None and start != citation.start)
    ):
        try:
            found = anchor(passage.text, quote.strip() or passage.text, start)
        except QuoteNotFound as error:
            raise ValidationError({"quote": error.message}, code="not_in_passage") from None
        citation.quote, citation.start, citation.end = found.exact, found.start, found.end
        citation.prefix, citation.suffix = found.prefix, found.suffix
    if note is not None:
        # Plain text, shown escaped: an editor's remark, never Markdown.
        citation.note = note.strip()
    citation.full_clean(exclude=["entry", "passage"])
    clash = Citation.objects.filter(
        entry_id=citation.entry_id, passage=passage, start=citation.start, end=citation.end, stance=citation.stance
    ).exclude(pk=citation.pk)
    if clash.exists():
        raise _duplicate()
    record(
        citation, actor, Action.RECITED, reason=reason, note=f"Citation of {passage.source} ¶{passage.number} changed"
    )
    try:
        with transaction.atomic():
            citation.save()
    except IntegrityError:
        raise _duplicate() from None
    return citation
