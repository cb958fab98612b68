"""Reading history: rows grouped into changes, changes told in words, and two states compared word by word.

An entry's history is its own historical rows plus those of its citations, grouped into
*changes*. Every row a service call writes carries that call's change mark (ChangeMark), so an
edit saved with its citations is one change and two saves a moment apart are two. Rows with no
mark (bulk loads, the admin, a shell) fall back to time: a citation row joins the entry row
nearest to it, before or after, if the same person wrote both within GROUP_WINDOW; citation
rows with no entry row near them make changes of their own, rows by one person within
GROUP_WINDOW of each other together. Any row of a change names it: its key is "e<history_id>"
for the entry row or "c<history_id>" for a citation row.
"""

from factline.history.activity import (
    MODELS,
    DeletedEntry,
    SourceChange,
    activity,
    activity_changes,
    activity_people,
    deleted_entries,
    deleted_with_citations,
    headlines,
    source_history,
    tell_source_rows,
    whole_changes,
    with_previous,
)
from factline.history.entries import EntryHistory, fetch
from factline.history.rows import (
    CITATION,
    ENTRY,
    GROUP_WINDOW,
    MEMBER,
    SNAPSHOT,
    TIMELINE,
    Change,
    Row,
    State,
    group,
    moment_param,
    note_and_summary,
)
from factline.history.words import (
    CitationDiff,
    FieldDiff,
    compare,
    member_words,
    record_fields,
    record_words,
    revert_consequences,
    timeline_words,
    word_diff,
)

__all__ = [
    "CITATION",
    "ENTRY",
    "GROUP_WINDOW",
    "MEMBER",
    "MODELS",
    "SNAPSHOT",
    "TIMELINE",
    "Change",
    "CitationDiff",
    "DeletedEntry",
    "EntryHistory",
    "FieldDiff",
    "Row",
    "SourceChange",
    "State",
    "activity",
    "activity_changes",
    "activity_people",
    "compare",
    "deleted_entries",
    "deleted_with_citations",
    "fetch",
    "group",
    "headlines",
    "member_words",
    "moment_param",
    "note_and_summary",
    "record_fields",
    "record_words",
    "revert_consequences",
    "source_history",
    "tell_source_rows",
    "timeline_words",
    "whole_changes",
    "with_previous",
    "word_diff",
]
