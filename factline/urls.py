from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from factline.views import entries, sources, timelines

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
    path("sources/", sources.source_list, name="source-list"),
    path("sources/<int:pk>/", sources.source_detail, name="source-detail"),
    # -- citing routes --
    # -- history routes --
    # -- sharing routes --
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
]
