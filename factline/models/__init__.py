from factline.models.ratings import SourceRating
from factline.models.sharing import Snapshot
from factline.models.sources import DateMention, Passage, Source, SourceOriginal
from factline.models.staging import StagedSource
from factline.models.timelines import Citation, Entry, Membership, Timeline, TimelineAddress
from factline.models.tokens import FormToken

__all__ = [
    "Citation",
    "DateMention",
    "Entry",
    "FormToken",
    "Membership",
    "Passage",
    "Snapshot",
    "Source",
    "SourceOriginal",
    "SourceRating",
    "StagedSource",
    "Timeline",
    "TimelineAddress",
]
