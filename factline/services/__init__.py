"""Writes: the only code that saves tracked models. Each owns its permissions and history reason."""

from factline.services.base import EditConflict, PermissionDenied
from factline.services.citations import citation_create, citation_delete
from factline.services.entries import entry_create, entry_delete, entry_set_status, entry_update
from factline.services.sources import ImportRefused, source_import, source_update
from factline.services.timelines import membership_remove, membership_set, timeline_create, timeline_update

__all__ = [
    "EditConflict",
    "ImportRefused",
    "PermissionDenied",
    "citation_create",
    "citation_delete",
    "entry_create",
    "entry_delete",
    "entry_set_status",
    "entry_update",
    "membership_remove",
    "membership_set",
    "source_import",
    "source_update",
    "timeline_create",
    "timeline_update",
]
