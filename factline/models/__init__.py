from factline.models.sharing import Snapshot
from factline.models.sources import DateMention, Passage, Source
from factline.models.timelines import Citation, Entry, Membership, Timeline

__all__ = ["Citation", "DateMention", "Entry", "Membership", "Passage", "Snapshot", "Source", "Timeline"]
