"""Writes: the only code that saves tracked models. Each owns its permissions and history reason."""

from factline.services.base import EditConflict, PermissionDenied
from factline.services.citations import citation_create, citation_delete, citation_update
from factline.services.entries import (
    entry_create,
    entry_create_citing,
    entry_delete,
    entry_set_status,
    entry_update,
)
from factline.services.history import entry_restore, entry_revert
from factline.services.once import Created, create_once, created_before
from factline.services.review import (
    entry_approve,
    entry_mark_reviewed,
    entry_request_review,
    entry_send_back,
    timeline_set_two_person_rule,
)
from factline.services.sharing import (
    snapshot_create,
    snapshot_revoke,
    timeline_revoke,
    timeline_set_listed,
    timeline_share,
)
from factline.services.sources import (
    ImportRefused,
    may_edit_sources,
    source_create,
    source_create_staged,
    source_find_dates,
    source_import,
    source_rate,
    source_stage,
    source_update,
    staged_for,
)
from factline.services.timelines import (
    membership_add,
    membership_remove,
    membership_set,
    timeline_archive,
    timeline_create,
    timeline_delete,
    timeline_purge,
    timeline_restore,
    timeline_transfer,
    timeline_update,
)

__all__ = [
    "Created",
    "EditConflict",
    "ImportRefused",
    "PermissionDenied",
    "citation_create",
    "citation_delete",
    "citation_update",
    "create_once",
    "created_before",
    "entry_approve",
    "entry_create",
    "entry_create_citing",
    "entry_delete",
    "entry_mark_reviewed",
    "entry_request_review",
    "entry_restore",
    "entry_revert",
    "entry_send_back",
    "entry_set_status",
    "entry_update",
    "may_edit_sources",
    "membership_add",
    "membership_remove",
    "membership_set",
    "snapshot_create",
    "snapshot_revoke",
    "source_create",
    "source_create_staged",
    "source_find_dates",
    "source_import",
    "source_rate",
    "source_stage",
    "source_update",
    "staged_for",
    "timeline_archive",
    "timeline_create",
    "timeline_delete",
    "timeline_purge",
    "timeline_restore",
    "timeline_revoke",
    "timeline_set_listed",
    "timeline_set_two_person_rule",
    "timeline_share",
    "timeline_transfer",
    "timeline_update",
]
