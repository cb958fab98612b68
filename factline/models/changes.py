"""What every historical row carries besides simple-history's own fields: which change, what kind, and notes.

Who made a change is simple-history's `history_user`, when its `history_date`, and why its
`history_change_reason`, which holds only ever what a person wrote. What the software says of a
change is stored beside it, never mixed into the reason, so nothing has to be parsed back out.
"""

from django.db import models
from simple_history.models import HistoricalRecords


class Action(models.TextChoices):
    """The kind of change a historical row records."""

    CREATED = "created", "Created"
    EDITED = "edited", "Edited"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"
    CITED = "cited", "Cited"
    UNCITED = "uncited", "Citation removed"
    REVERTED = "reverted", "Reverted"
    RESTORED = "restored", "Restored"
    IMPORTED = "imported", "Imported"
    LOADED = "loaded", "Loaded"
    LINK_ON = "link_on", "Public link turned on"
    LINK_RENEWED = "link_renewed", "Public link replaced"
    LINK_OFF = "link_off", "Public link turned off"
    LISTED = "listed", "Listed publicly"
    UNLISTED = "unlisted", "No longer listed publicly"
    SNAPSHOT_SHARED = "snapshot_shared", "Snapshot shared"
    SNAPSHOT_WITHDRAWN = "snapshot_withdrawn", "Snapshot withdrawn"
    MEMBER_SET = "member_set", "Role given"
    MEMBER_REMOVED = "member_removed", "Member removed"
    REVIEWED = "reviewed", "Marked reviewed"
    REVIEW_ASKED = "review_asked", "Asked for review"
    SENT_BACK = "sent_back", "Sent back"
    MOVED = "moved", "Address changed"
    TRANSFERRED = "transferred", "Ownership transferred"
    ARCHIVED = "archived", "Archived"
    UNARCHIVED = "unarchived", "Unarchived"
    RECITED = "recited", "Citation changed"


# What a row written outside the services (the admin, a shell, a bulk load) is, by simple-history's type.
BY_TYPE = {"+": Action.CREATED, "~": Action.EDITED, "-": Action.DELETED}


class ChangeMark(models.Model):
    """The change a historical row belongs to (every row one service call writes shares it), and what it was."""

    history_change = models.UUIDField(
        "change",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Shared by the rows written together (an edit and its citations); empty for rows written "
        "outside the services, such as bulk loads.",
    )
    history_action = models.CharField(
        "action",
        max_length=24,
        choices=Action.choices,
        blank=True,
        default="",
        editable=False,
        help_text="What kind of change this is: written by the service, else read from the row's type.",
    )
    history_note = models.TextField(
        "note",
        blank=True,
        default="",
        editable=False,
        help_text="What the software said of the change (“Published”, which revision a revert went back to); "
        "the reason beside it is only ever what a person wrote.",
    )

    class Meta:
        abstract = True


class History(HistoricalRecords):
    """simple-history's records with an index on (object id, history_date) besides its own.

    "The latest row of each object at or before a moment" (the timeline as it stood) then reads one
    index range per object; without it each lookup walks every row the object ever had, which at a
    thousand revisions of an entry made the past view take seconds (issue 11).
    """

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        pk = model._meta.pk.attname
        options["indexes"] = (*options.get("indexes", ()), models.Index(fields=(pk, "history_date")))
        return options
