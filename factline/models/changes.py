"""What every historical row carries besides simple-history's own fields."""

from django.db import models


class ChangeMark(models.Model):
    """The change a historical row belongs to: every row one service call writes shares it."""

    history_change = models.UUIDField(
        "change",
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text="Shared by the rows written together (an edit and its citations); empty for rows written "
        "outside the services, such as bulk loads.",
    )

    class Meta:
        abstract = True
