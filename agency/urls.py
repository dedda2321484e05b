from django.urls import path
from django.views.decorators.cache import never_cache

from agency import invitation_views, views

urlpatterns = [
    path("branches/", views.BranchListView.as_view(), name="branch_list"),
    path("branches/new/", views.BranchCreateView.as_view(), name="branch_create"),
    path("branches/<int:pk>/edit/", views.BranchUpdateView.as_view(), name="branch_update"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/new/", views.MemberInviteView.as_view(), name="member_invite"),
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
    # The invited person's link: no login needed, they may not have an account yet.
    path(
        "invitations/<str:token>/",
        never_cache(invitation_views.InvitationAcceptView.as_view()),
        name="invitation_accept",
    ),
    path("switch-agency/", views.switch_agency, name="switch_agency"),
    path("language/", views.set_language, name="set_language"),
]
