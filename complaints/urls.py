from django.urls import path

from complaints import views

urlpatterns = [
    path("complaints/", views.ComplaintDeskView.as_view(), name="complaint_desk"),
    path("complaints/new/", views.ComplaintTakeView.as_view(), name="complaint_new"),
    path(
        "complaints/new/customer/",
        views.ComplaintCustomerLookupView.as_view(),
        name="complaint_customer_lookup",
    ),
    path("complaints/new/tier/", views.ComplaintTierView.as_view(), name="complaint_tier"),
    path("complaints/log/", views.ComplaintLogView.as_view(), name="complaint_log"),
    path("complaints/log.csv", views.ComplaintLogCsvView.as_view(), name="complaint_log_csv"),
    path("complaints/policy/", views.SlaPolicyView.as_view(), name="sla_policy"),
    path(
        "complaints/policy/office-hours/",
        views.SlaOfficeHoursView.as_view(),
        name="sla_office_hours",
    ),
    path("complaints/policy/holidays/", views.SlaHolidayAddView.as_view(), name="sla_holiday_add"),
    path(
        "complaints/policy/holidays/<int:pk>/remove/",
        views.SlaHolidayRemoveView.as_view(),
        name="sla_holiday_remove",
    ),
    path("complaints/<int:pk>/", views.ComplaintDetailView.as_view(), name="complaint_detail"),
    path(
        "complaints/<int:pk>/respond/",
        views.ComplaintRespondView.as_view(),
        name="complaint_respond",
    ),
    path("complaints/<int:pk>/note/", views.ComplaintNoteView.as_view(), name="complaint_note"),
    path(
        "complaints/<int:pk>/verify/", views.ComplaintVerifyView.as_view(), name="complaint_verify"
    ),
    path(
        "complaints/<int:pk>/second-response/",
        views.ComplaintSecondResponseView.as_view(),
        name="complaint_second_response",
    ),
    path(
        "complaints/<int:pk>/resolve/",
        views.ComplaintResolveView.as_view(),
        name="complaint_resolve",
    ),
    path(
        "complaints/<int:pk>/follow-up/",
        views.ComplaintFollowUpView.as_view(),
        name="complaint_follow_up",
    ),
    path("complaints/<int:pk>/pause/", views.ComplaintPauseView.as_view(), name="complaint_pause"),
    path(
        "complaints/<int:pk>/resume/", views.ComplaintResumeView.as_view(), name="complaint_resume"
    ),
    path("complaints/<int:pk>/close/", views.ComplaintCloseView.as_view(), name="complaint_close"),
    path(
        "complaints/<int:pk>/reopen/", views.ComplaintReopenView.as_view(), name="complaint_reopen"
    ),
    path(
        "complaints/<int:pk>/attach/", views.ComplaintAttachView.as_view(), name="complaint_attach"
    ),
]
