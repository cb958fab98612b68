"""Bringing sources in: fetch → detect the type → extract the article → split → check for duplicates."""

from factline.ingest.errors import ImportRefused
from factline.ingest.pipeline import (
    Prepared,
    duplicate_refusal,
    find_duplicate,
    read,
    read_address,
    read_pasted,
    text_hash,
)

__all__ = [
    "ImportRefused",
    "Prepared",
    "duplicate_refusal",
    "find_duplicate",
    "read",
    "read_address",
    "read_pasted",
    "text_hash",
]
