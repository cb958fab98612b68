from factline.models.discussion import Comment, Mention
from factline.models.invitations import Invitation
from factline.models.ratings import SourceRating
from factline.models.sharing import Snapshot
from factline.models.sources import DateMention, Passage, Source, SourceOriginal
from factline.models.staging import StagedSource
from factline.models.timelines import Citation, Entry, Membership, Timeline, TimelineAddress
from factline.models.tokens import FormToken
from factline.models.watching import Watch

__all__ = [
    "Citation",
    "Comment",
    "DateMention",
    "Entry",
    "FormToken",
    "Invitation",
    "Membership",
    "Mention",
    "Passage",
    "Snapshot",
    "Source",
    "SourceOriginal",
    "SourceRating",
    "StagedSource",
    "Timeline",
    "TimelineAddress",
    "Watch",
]
