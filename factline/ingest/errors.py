"""Why a source could not be brought in, said once for the browser and the command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factline.models import Source


class ImportRefused(ValueError):
    """The input cannot become a source; `reason` says why in one line, `field` which input it is about."""

    def __init__(
        self, reason: str, *, name: str = "", field: str = "", code: str = "refused", existing: Source | None = None
    ) -> None:
        self.reason = reason
        self.name = name
        self.field = field
        self.code = code
        self.existing = existing
        super().__init__(f"{name}: {reason}" if name else reason)

    def named(self, name: str) -> ImportRefused:
        """The same refusal, naming the file or address it is about (for the command line)."""
        return ImportRefused(self.reason, name=name, field=self.field, code=self.code, existing=self.existing)
