from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from factline.models import Citation, Entry, Membership, Passage, Source, Timeline


class PassageInline(admin.TabularInline):
    model = Passage
    fields = ["number", "kind", "boilerplate", "boilerplate_reason", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published", "reliability", "origin"]
    list_filter = ["reliability", "language"]
    search_fields = ["title", "publisher", "author", "origin"]
    readonly_fields = ["text", "origin", "checksum", "created"]
    inlines = [PassageInline]


@admin.register(Passage)
class PassageAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "boilerplate", "boilerplate_reason"]
    list_filter = ["boilerplate", "kind"]
    list_select_related = ["source"]
    readonly_fields = ["source", "number", "start", "end", "text"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Timeline)
class TimelineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "created", "updated"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline]


class CitationInline(admin.TabularInline):
    model = Citation
    extra = 0
    raw_id_fields = ["passage"]
    readonly_fields = ["start", "end", "prefix", "suffix"]


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    list_display = ["headline", "timeline", "start", "precision", "status"]
    list_filter = ["status", "timeline"]
    list_select_related = ["timeline"]
    search_fields = ["headline", "body"]
    inlines = [CitationInline]


@admin.register(Citation)
class CitationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "entry", "stance"]
    list_filter = ["stance"]
    list_select_related = ["entry", "passage__source"]
    raw_id_fields = ["entry", "passage"]
