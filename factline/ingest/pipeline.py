"""One path for every source: read the bytes, extract the article, split it, and look for duplicates.

The browser (paste, upload, address) and `manage.py import_source` (files and `--url`) both call
`read`, then `find_duplicate`; factline.services.source_create saves what `read` prepared.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from factline.importer import PassageData, split_passages
from factline.ingest import extract
from factline.ingest.errors import ImportRefused
from factline.ingest.fetch import fetch, max_bytes


def text_hash(text: str) -> str:
    """The fingerprint two copies of one article share: SHA-256 of its words with white space normalised."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Prepared:
    """A source read and split, not yet saved: what the preview shows and the save stores."""

    data: bytes
    content_type: str
    kind: str
    text: str
    metadata: dict = field(default_factory=dict)  # title, author, publisher, published (ISO), language
    filename: str = ""
    address: str = ""
    final_address: str = ""
    fetched: datetime.datetime | None = None

    @cached_property
    def passages(self) -> list[PassageData]:
        return split_passages(self.text)

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def text_hash(self) -> str:
        return text_hash(self.text)

    @property
    def name(self) -> str:
        """How the source names where it came from."""
        return self.filename or self.final_address or "pasted text"

    @property
    def keeps_original(self) -> bool:
        """Pasted text has no original beyond itself; files and pages keep their bytes."""
        return bool(self.filename or self.address)

    @property
    def published(self) -> datetime.date | None:
        value = self.metadata.get("published")
        return datetime.date.fromisoformat(value) if value else None


def _checked_size(data: bytes, field: str) -> None:
    cap = max_bytes()
    if len(data) > cap:
        raise ImportRefused(f"it is larger than {cap // (1024 * 1024)} MB.", field=field, code="too_large")


def read(
    data: bytes,
    *,
    filename: str = "",
    content_type: str = "",
    address: str = "",
    final_address: str = "",
    fetched: datetime.datetime | None = None,
    field: str = "file",
) -> Prepared:
    """Extract and split `data`, or refuse (ImportRefused) saying why; nothing is written."""
    _checked_size(data, field)
    if not data.strip():
        empty = "the file is empty." if field == "file" else "the page is empty."
        raise ImportRefused(empty, field=field, code="empty")
    kind = extract.detect(data, filename=filename, content_type=content_type)
    try:
        found = extract.extract(data, kind)
    except ImportRefused as refusal:
        raise ImportRefused(refusal.reason, field=field, code=refusal.code) from None
    prepared = Prepared(
        data=data,
        content_type=extract.CONTENT_TYPES[kind] if kind != extract.TEXT or not content_type else content_type,
        kind=kind,
        text=found.text,
        metadata={
            "title": found.title,
            "author": found.author,
            "publisher": found.publisher,
            "published": found.published.isoformat() if found.published else "",
            "language": found.language,
        },
        filename=filename,
        address=address,
        final_address=final_address,
        fetched=fetched,
    )
    if not prepared.passages:
        raise ImportRefused("the file is empty." if field == "file" else "there is no text.", field=field, code="empty")
    return prepared


def read_pasted(title: str, article: str) -> Prepared:
    """Pasted text: the title as its first line, then the article; line breaks as the browser sent them, in \\n."""
    text = f"{title.strip()}\n\n{article.strip()}\n".replace("\r\n", "\n").replace("\r", "\n")
    data = text.encode("utf-8")
    _checked_size(data, "text")
    if not article.strip():
        raise ImportRefused("Paste the article's text.", field="text", code="empty")
    return Prepared(
        data=data,
        content_type=extract.CONTENT_TYPES[extract.TEXT],
        kind=extract.TEXT,
        text=text,
        metadata={"title": title.strip()},
    )


def read_address(address: str) -> Prepared:
    """Fetch `address` and read what came back."""
    fetched = fetch(address)
    return read(
        fetched.data,
        content_type=fetched.content_type,
        address=fetched.address,
        final_address=fetched.final_address,
        fetched=fetched.fetched,
        field="url",
    )


def find_duplicate(prepared: Prepared):
    """The source already in the library with the same text (white space aside) or the same final address."""
    from factline.models import Source

    same = Q(text_hash=prepared.text_hash) | Q(checksum=prepared.checksum)
    if prepared.final_address:
        same |= Q(original__final_address=prepared.final_address)
    return Source.objects.filter(same).order_by("pk").first()


def duplicate_refusal(prepared: Prepared, existing) -> ImportRefused:
    field = "url" if prepared.address else "file" if prepared.filename else "text"
    if prepared.final_address and getattr(existing, "original", None) is not None:
        same = "address" if existing.original.final_address == prepared.final_address else "text"
    else:
        same = "text"
    what = "This address was" if same == "address" else "This text was"
    return ImportRefused(
        f"{what} already imported as source {existing.pk} (“{existing.title}”).",
        field=field,
        code="duplicate",
        existing=existing,
    )
