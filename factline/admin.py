"""The back office: every model with its history. The model rules hold here too, refused with a message."""

from django.contrib import admin, messages
from django.contrib.admin import actions as admin_actions
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.models import BaseInlineFormSet
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from factline.models import Citation, DateMention, Entry, Membership, Passage, Snapshot, Source, SourceRating, Timeline
from factline.models.changes import Action
from factline.models.timelines import Role, Stance, Status
from factline.services import membership_add, membership_remove, membership_set
from factline.services.base import one_change, record

LAST_SUPPORT = "This is the only support of a published entry; unpublish the entry first."


ADMIN_NOTE = "Changed in the admin"


class RecordedAdmin(SimpleHistoryAdmin):
    """An admin save or delete is one change in the history, by the person logged in, as a service's is.

    What a service refuses (a rule it keeps, such as a timeline's last owner) is refused here with
    a message, and nothing of that save is kept: the whole page's save is one transaction.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return one_change(super().changeform_view)(request, object_id, form_url, extra_context)
        except ValidationError as error:
            return self._refused(request, error, object_id)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return one_change(super().delete_view)(request, object_id, extra_context)
        except ValidationError as error:
            return self._refused(request, error, object_id)

    def _refused(self, request, error: ValidationError, object_id):
        self.message_user(request, " ".join(error.messages), messages.ERROR)
        info = self.opts.app_label, self.opts.model_name
        if object_id is None:
            return redirect(f"admin:{info[0]}_{info[1]}_changelist")
        return redirect(f"admin:{info[0]}_{info[1]}_change", object_id)

    def save_model(self, request, obj, form, change) -> None:
        record(obj, request.user, Action.EDITED if change else Action.CREATED, note=ADMIN_NOTE)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj) -> None:
        record(obj, request.user, Action.DELETED, note=ADMIN_NOTE)
        super().delete_model(request, obj)


def save_memberships(timeline: Timeline, memberships: list[Membership], removed: list[Membership]) -> None:
    """Roles given and members removed in the admin, through the services and their rules (a last owner stays)."""
    # Owners first, so that a save naming a new owner and demoting the old one keeps one throughout.
    for membership in sorted(memberships, key=lambda m: m.role != Role.OWNER):
        membership_set(timeline=timeline, actor=None, username=membership.user.get_username(), role=membership.role)
    for membership in removed:
        membership_remove(membership=membership, actor=None)


PASSAGE_COLUMNS = ("number", "kind", "boilerplate", "boilerplate_reason", "text")


class PassageInline(admin.TabularInline):
    model = Passage
    fields = PASSAGE_COLUMNS
    readonly_fields = PASSAGE_COLUMNS
    extra = 0
    can_delete = False


@admin.register(Source)
class SourceAdmin(RecordedAdmin):
    list_display = ["title", "publisher", "published", "origin"]
    list_filter = ["language"]
    search_fields = ["title", "publisher", "author", "origin"]
    readonly_fields = ["text", "origin", "checksum", "text_hash", "created"]
    inlines = [PassageInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Passage)
class PassageAdmin(RecordedAdmin):
    list_display = ["__str__", "kind", "boilerplate", "boilerplate_reason"]
    list_filter = ["boilerplate", "kind"]
    list_select_related = ["source"]
    readonly_fields = ["source", "number", "start", "end", "text"]


@admin.register(DateMention)
class DateMentionAdmin(admin.ModelAdmin):
    """Derived from a passage and its source's date: read here, recomputed by the services (find_dates)."""

    list_display = ["text", "value", "precision", "approximate", "kind", "passage"]
    list_filter = ["kind", "precision"]
    list_select_related = ["passage__source"]
    search_fields = ["text", "reason"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Timeline)
class TimelineAdmin(RecordedAdmin):
    list_display = ["title", "slug", "created", "updated"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        kept = formset.save(commit=False)  # nothing saved: the services save it
        save_memberships(form.instance, kept, formset.deleted_objects)
        formset.save_m2m()
        return None


@admin.register(Membership)
class MembershipAdmin(RecordedAdmin):
    list_display = ["user", "timeline", "role"]
    list_filter = ["role"]
    list_select_related = ["user", "timeline"]
    raw_id_fields = ["user"]
    actions = ["delete_selected"]

    def get_readonly_fields(self, request, obj=None):
        # A membership is one person's on one timeline: another person or timeline is another membership.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "user", "timeline"] if obj is not None else fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            saved = membership_set(timeline=obj.timeline, actor=None, username=obj.user.get_username(), role=obj.role)
        else:
            saved = membership_add(timeline=obj.timeline, actor=None, username=obj.user.get_username(), role=obj.role)
        obj.pk = saved.pk

    def delete_model(self, request, obj) -> None:
        membership_remove(membership=obj, actor=None)

    def delete_queryset(self, request, queryset) -> None:
        for membership in queryset.select_related("timeline", "user"):
            membership_remove(membership=membership, actor=None)

    @admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request, queryset):
        """Django's bulk delete through the service, all or nothing: a timeline's last owner stays."""
        try:
            return one_change(admin_actions.delete_selected)(self, request, queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None


@admin.register(Snapshot)
class SnapshotAdmin(RecordedAdmin):
    list_display = ["__str__", "created_by", "created"]
    list_select_related = ["timeline", "created_by"]
    # Frozen by design, and its token is made only by sharing: it can be looked at or withdrawn (deleted).
    readonly_fields = ["timeline", "as_of", "token", "created_by", "created"]

    def has_add_permission(self, request) -> bool:
        return False


class CitationFormSet(BaseInlineFormSet):
    """Refuses, as a form error, to remove a published entry's last support from the entry's page."""

    def clean(self) -> None:
        super().clean()
        removed = self.deleted_forms
        removes_support = any(form.initial.get("stance") == Stance.SUPPORTS for form in removed)
        if self.instance.status != Status.PUBLISHED or not removes_support:
            return
        # The formset deletes before it saves changes and additions, so only a support that is one
        # already and stays one carries the entry through the deletions.
        kept = [
            form
            for form in self.initial_forms
            if form not in removed
            and form.initial.get("stance") == Stance.SUPPORTS
            and form.cleaned_data.get("stance") == Stance.SUPPORTS
        ]
        if not kept:
            raise ValidationError(LAST_SUPPORT, code="last_support")


class CitationInline(admin.TabularInline):
    model = Citation
    formset = CitationFormSet
    extra = 0
    raw_id_fields = ["passage"]
    readonly_fields = ["start", "end", "prefix", "suffix"]


@admin.register(Entry)
class EntryAdmin(RecordedAdmin):
    list_display = ["headline", "timeline", "start", "precision", "status"]
    list_filter = ["status", "timeline"]
    list_select_related = ["timeline"]
    search_fields = ["headline", "body"]
    inlines = [CitationInline]


@admin.register(Citation)
class CitationAdmin(RecordedAdmin):
    list_display = ["__str__", "entry", "stance"]
    list_filter = ["stance"]
    list_select_related = ["entry", "passage__source"]
    raw_id_fields = ["entry", "passage"]
    actions = ["delete_selected"]

    def get_readonly_fields(self, request, obj=None):
        # Moving a citation to another entry would take a published entry's support without its rule seeing it.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "entry"] if obj is not None else fields

    def delete_queryset(self, request, queryset) -> None:
        # queryset.delete() would skip Citation.delete, and with it the rule that keeps a published entry supported.
        for citation in queryset.select_related("entry"):
            citation.delete()

    @admin.action(permissions=["delete"], description=gettext_lazy("Delete selected %(verbose_name_plural)s"))
    def delete_selected(self, request, queryset):
        """Django's bulk delete, all or nothing: one refused citation keeps every selected one."""
        try:
            with transaction.atomic():
                return admin_actions.delete_selected(self, request, queryset)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return None


@admin.register(SourceRating)
class SourceRatingAdmin(RecordedAdmin):
    list_display = ["source", "timeline", "reliability"]
    list_filter = ["reliability"]
    list_select_related = ["source", "timeline"]
    raw_id_fields = ["source", "timeline"]
