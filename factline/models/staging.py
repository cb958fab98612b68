"""Sources being previewed: what was received and extracted, held until the editor saves or leaves it."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class StagedSource(models.Model):
    """A source read but not yet saved, under an unguessable key that only its editor can use.

    Kept in the database (not a worker's memory or disk) so any worker behind the load balancer
    can show the preview and save it; never a Source or Passage row, so nothing half-made is stored.
    """

    key = models.CharField("key", max_length=64, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="editor", on_delete=models.CASCADE, related_name="+"
    )
    data = models.BinaryField("bytes as received")
    size = models.PositiveIntegerField("size in bytes")
    content_type = models.CharField("content type", max_length=100)
    filename = models.CharField("file name", max_length=255, blank=True)
    address = models.URLField("address", max_length=2000, blank=True)
    final_address = models.URLField("final address", max_length=2000, blank=True)
    fetched = models.DateTimeField("fetched", null=True, blank=True)
    text = models.TextField("extracted text")
    metadata = models.JSONField("extracted metadata", default=dict)
    created = models.DateTimeField("read", auto_now_add=True)
    expires = models.DateTimeField("expires", db_index=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Preview {self.key[:8]}… of {self.filename or self.final_address or 'pasted text'}"
