from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from factline.views import sources, timelines

urlpatterns = [
    path("", timelines.dashboard, name="dashboard"),
    path("t/<slug:slug>/", timelines.timeline_detail, name="timeline-detail"),
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
