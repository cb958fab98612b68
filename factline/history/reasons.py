"""Change reasons split into what the software wrote on its own and what a person typed.

A service that is given no reason writes one of its own ("Citation removed", "Cited X ¶4 (Context)",
"Published"; see factline/services and factline/seeds). The history does not store which kind a
reason is, but those texts are few and fixed, so they are told apart by their form. Those that only
repeat what the change's words already say are dropped; those that add something (the revision a
revert went back to, where an import came from) are kept as a plain note, never as a quoted summary.
"""

from __future__ import annotations

import re

# Kept in step with the services' defaults by tests/test_history_reasons.py.
_REPEATS_THE_WORDS = re.compile(
    r"Created|Citation removed|Deleted|Deleted with its entry|Published|Unpublished|Restored"
    r"|Cited .+ ¶\d+ \((?:Supports|Contradicts|Context)\)"
    r"|Turned the public link (?:on|off)|Made a new public link|Listed publicly|No longer listed publicly"
    r"|Shared a snapshot as of .+ UTC|Withdrew a snapshot",
    re.DOTALL,
)
_NOTE = re.compile(r"Imported from .+|Loaded from the seed timeline", re.DOTALL)
# Usernames hold no spaces or colons, so the first ": " after one starts what the person typed.
_REVERTED = re.compile(r"(Reverted to revision \d+ of .+? UTC by [^\s:]+)(?:: (.*))?", re.DOTALL)
_RESTORED = re.compile(r"Restored: (.*)", re.DOTALL)


def reason_parts(reason: str | None) -> tuple[str, str]:
    """`reason` as (note, summary): what the software said worth showing, and what a person typed."""
    reason = (reason or "").strip()
    if _REPEATS_THE_WORDS.fullmatch(reason):
        return "", ""
    if _NOTE.fullmatch(reason):
        return reason, ""
    if found := _REVERTED.fullmatch(reason):
        return found[1], (found[2] or "").strip()
    if found := _RESTORED.fullmatch(reason):
        return "", found[1].strip()
    return "", reason
