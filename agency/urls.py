from django.urls import path

from agency import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("start/", views.StartView.as_view(), name="start"),
    path("branches/", views.BranchListView.as_view(), name="branch_list"),
    path("branches/new/", views.BranchCreateView.as_view(), name="branch_create"),
    path("branches/<int:pk>/edit/", views.BranchUpdateView.as_view(), name="branch_update"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/new/", views.MemberAddView.as_view(), name="member_add"),
    path("members/<int:pk>/edit/", views.MemberEditView.as_view(), name="member_edit"),
    path("audit/", views.AuditLogListView.as_view(), name="audit_list"),
    path("audit/<int:pk>/", views.AuditLogDetailView.as_view(), name="audit_detail"),
    path("settings/", views.AgencySettingsView.as_view(), name="agency_settings"),
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path(
        "notifications/read/", views.NotificationReadView.as_view(), name="notifications_read_all"
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path("switch-agency/", views.switch_agency, name="switch_agency"),
    path("language/", views.set_language, name="set_language"),
]
