from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from factline.views import citations, citing, embed, entries, importing, review, settings, sharing, sources, timelines
from factline.views import exports as export_views
from factline.views import history as history_views
from factline.views import public as public_views

urlpatterns = [
    path("", timelines.dashboard, name="dashboard"),
    path("t/<slug:slug>/", timelines.timeline_detail, name="timeline-detail"),
    path("t/<slug:slug>/changes/", timelines.timeline_changes, name="timeline-changes"),
    path("t/<slug:slug>/members/", timelines.member_list, name="member-list"),
    path("t/<slug:slug>/members/<int:pk>/", timelines.member_update, name="member-update"),
    path("t/<slug:slug>/entries/new/", entries.entry_create, name="entry-create"),
    path("t/<slug:slug>/entries/<int:pk>/", entries.entry_detail, name="entry-detail"),
    path("t/<slug:slug>/entries/<int:pk>/edit/", entries.entry_edit, name="entry-edit"),
    path("t/<slug:slug>/entries/<int:pk>/status/", entries.entry_status, name="entry-status"),
    path("t/<slug:slug>/entries/<int:pk>/delete/", entries.entry_delete, name="entry-delete"),
    path("t/<slug:slug>/citations/<int:pk>/delete/", entries.citation_delete, name="citation-delete"),
    # -- settings routes --
    path("t/<slug:slug>/settings/", settings.timeline_settings, name="timeline-settings"),
    path("t/<slug:slug>/settings/transfer/", settings.timeline_transfer, name="timeline-transfer"),
    path("t/<slug:slug>/settings/archive/", settings.timeline_archive, name="timeline-archive"),
    path("t/<slug:slug>/settings/delete/", settings.timeline_delete, name="timeline-delete"),
    path("timelines/deleted/", settings.deleted_timelines, name="timelines-deleted"),
    path("timelines/deleted/<int:pk>/restore/", settings.timeline_restore, name="timeline-restore"),
    path("t/<slug:slug>/citations/<int:pk>/edit/", citations.citation_edit, name="citation-edit"),
    path("sources/", sources.source_list, name="source-list"),
    path("sources/new/", importing.source_create, name="source-create"),
    path("sources/new/<str:key>/", importing.source_preview, name="source-preview"),
    path("sources/<int:pk>/original/", importing.source_original, name="source-original"),
    path("sources/<int:pk>/rating/", sources.source_rate, name="source-rate"),
    path("sources/<int:pk>/", sources.source_detail, name="source-detail"),
    path("sources/<int:pk>/edit/", sources.source_edit, name="source-edit"),
    path("sources/dates/<int:pk>/new-entry/", sources.mention_entry, name="mention-entry"),
    # -- citing routes --
    path("t/<slug:slug>/entries/<int:pk>/cite/", citing.entry_cite, name="entry-cite"),
    path("t/<slug:slug>/entries/<int:pk>/suggest/", citing.entry_suggest, name="entry-suggest"),
    # -- review routes --
    path("t/<slug:slug>/review/", review.timeline_review, name="timeline-review"),
    path("t/<slug:slug>/review/rule/", review.review_rule, name="timeline-review-rule"),
    path("t/<slug:slug>/entries/<int:pk>/reviewed/", review.entry_mark_reviewed, name="entry-mark-reviewed"),
    path("t/<slug:slug>/entries/<int:pk>/ask-review/", review.entry_ask_review, name="entry-ask-review"),
    path("t/<slug:slug>/entries/<int:pk>/review/", review.entry_review, name="entry-review"),
    # -- history routes --
    path("t/<slug:slug>/entries/<int:pk>/history/", history_views.entry_history, name="entry-history"),
    path("t/<slug:slug>/entries/<int:pk>/compare/", history_views.entry_compare, name="entry-compare"),
    path("t/<slug:slug>/entries/<int:pk>/revert/", history_views.entry_revert, name="entry-revert"),
    path("t/<slug:slug>/deleted/", history_views.deleted_list, name="timeline-deleted"),
    path("t/<slug:slug>/deleted/<int:pk>/restore/", history_views.entry_restore, name="entry-restore"),
    path("t/<slug:slug>/activity/", history_views.timeline_activity, name="timeline-activity"),
    path("t/<slug:slug>/activity/<slug:kind>/<int:history_id>/", history_views.change_detail, name="change-detail"),
    path("t/<slug:slug>/as-of/", history_views.timeline_as_of, name="timeline-as-of"),
    path("sources/<int:pk>/history/", history_views.source_history, name="source-history"),
    # -- sharing routes --
    path("t/<slug:slug>/share/", sharing.timeline_share, name="timeline-share"),
    path("t/<slug:slug>/share/link/", sharing.share_link, name="timeline-share-link"),
    path("t/<slug:slug>/share/listed/", sharing.share_listed, name="timeline-share-listed"),
    path("t/<slug:slug>/snapshots/", sharing.snapshot_create, name="snapshot-create"),
    path("t/<slug:slug>/snapshots/<int:pk>/revoke/", sharing.snapshot_revoke, name="snapshot-revoke"),
    path("t/<slug:slug>/export/<slug:fmt>/", export_views.timeline_export, name="timeline-export"),
    path("public/", public_views.timeline_list, name="public-list"),
    path("p/<slug:key>/", public_views.timeline_page, {"kind": "link"}, name="public-timeline"),
    path("p/<slug:key>/passages/<int:pk>/", public_views.passage_page, {"kind": "link"}, name="public-passage"),
    path("p/<slug:key>/export/<slug:fmt>/", export_views.public_export, {"kind": "link"}, name="public-export"),
    path("s/<slug:key>/", public_views.timeline_page, {"kind": "snapshot"}, name="snapshot-timeline"),
    path("s/<slug:key>/passages/<int:pk>/", public_views.passage_page, {"kind": "snapshot"}, name="snapshot-passage"),
    path("s/<slug:key>/export/<slug:fmt>/", export_views.public_export, {"kind": "snapshot"}, name="snapshot-export"),
    path("public/<slug:key>/", public_views.timeline_page, {"kind": "listed"}, name="listed-timeline"),
    path("public/<slug:key>/passages/<int:pk>/", public_views.passage_page, {"kind": "listed"}, name="listed-passage"),
    path("public/<slug:key>/export/<slug:fmt>/", export_views.public_export, {"kind": "listed"}, name="listed-export"),
    # -- embed routes: the only answers other sites may frame, and the card for sharing --
    path("p/<slug:key>/embed/", embed.embed_page, {"kind": "link"}, name="public-embed"),
    path("s/<slug:key>/embed/", embed.embed_page, {"kind": "snapshot"}, name="snapshot-embed"),
    path("p/<slug:key>/card.png", embed.card_image, {"kind": "link"}, name="public-card"),
    path("s/<slug:key>/card.png", embed.card_image, {"kind": "snapshot"}, name="snapshot-card"),
    path("public/<slug:key>/card.png", embed.card_image, {"kind": "listed"}, name="listed-card"),
    path("oembed/", embed.oembed, name="oembed-detail"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
]
