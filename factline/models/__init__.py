from factline.models.sharing import Snapshot
from factline.models.sources import Passage, Source
from factline.models.timelines import Citation, Entry, Membership, Timeline

__all__ = ["Citation", "Entry", "Membership", "Passage", "Snapshot", "Source", "Timeline"]
