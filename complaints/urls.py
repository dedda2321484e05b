from django.urls import path

from complaints.views import desk, detail, intake, log, remedies, sla_policy

urlpatterns = [
    path("complaints/", desk.ComplaintDeskView.as_view(), name="complaint_desk"),
    path("complaints/new/", intake.ComplaintTakeView.as_view(), name="complaint_new"),
    path(
        "complaints/new/customer/",
        intake.ComplaintCustomerLookupView.as_view(),
        name="complaint_customer_lookup",
    ),
    path("complaints/new/tier/", intake.ComplaintTierView.as_view(), name="complaint_tier"),
    path("complaints/log/", log.ComplaintLogView.as_view(), name="complaint_log"),
    path("complaints/log.csv", log.ComplaintLogCsvView.as_view(), name="complaint_log_csv"),
    path("complaints/policy/", sla_policy.SlaPolicyView.as_view(), name="sla_policy"),
    path(
        "complaints/policy/office-hours/",
        sla_policy.SlaOfficeHoursView.as_view(),
        name="sla_office_hours",
    ),
    path(
        "complaints/policy/holidays/",
        sla_policy.SlaHolidayAddView.as_view(),
        name="sla_holiday_add",
    ),
    path(
        "complaints/policy/compensation-limit/",
        sla_policy.RemedyPolicyView.as_view(),
        name="remedy_policy",
    ),
    path(
        "complaints/policy/holidays/<int:pk>/remove/",
        sla_policy.SlaHolidayRemoveView.as_view(),
        name="sla_holiday_remove",
    ),
    path("complaints/<int:pk>/", detail.ComplaintDetailView.as_view(), name="complaint_detail"),
    path(
        "complaints/<int:pk>/respond/",
        detail.ComplaintRespondView.as_view(),
        name="complaint_respond",
    ),
    path("complaints/<int:pk>/note/", detail.ComplaintNoteView.as_view(), name="complaint_note"),
    path(
        "complaints/<int:pk>/verify/", detail.ComplaintVerifyView.as_view(), name="complaint_verify"
    ),
    path(
        "complaints/<int:pk>/second-response/",
        detail.ComplaintSecondResponseView.as_view(),
        name="complaint_second_response",
    ),
    path(
        "complaints/<int:pk>/resolve/",
        detail.ComplaintResolveView.as_view(),
        name="complaint_resolve",
    ),
    path(
        "complaints/<int:pk>/follow-up/",
        detail.ComplaintFollowUpView.as_view(),
        name="complaint_follow_up",
    ),
    path("complaints/<int:pk>/pause/", detail.ComplaintPauseView.as_view(), name="complaint_pause"),
    path(
        "complaints/<int:pk>/resume/", detail.ComplaintResumeView.as_view(), name="complaint_resume"
    ),
    path("complaints/<int:pk>/close/", detail.ComplaintCloseView.as_view(), name="complaint_close"),
    path(
        "complaints/<int:pk>/reopen/", detail.ComplaintReopenView.as_view(), name="complaint_reopen"
    ),
    path(
        "complaints/<int:pk>/attach/", detail.ComplaintAttachView.as_view(), name="complaint_attach"
    ),
    path(
        "complaints/<int:pk>/assign/", detail.ComplaintAssignView.as_view(), name="complaint_assign"
    ),
    path(
        "complaints/<int:pk>/promise-reply/",
        detail.ComplaintPromiseReplyView.as_view(),
        name="complaint_promise_reply",
    ),
    path(
        "complaints/<int:pk>/escalate/", detail.ComplaintRaiseView.as_view(), name="complaint_raise"
    ),
    path(
        "complaints/<int:pk>/severity/",
        detail.ComplaintSeverityView.as_view(),
        name="complaint_severity",
    ),
    path(
        "complaints/<int:pk>/warranty/",
        detail.ComplaintWarrantyView.as_view(),
        name="complaint_warranty",
    ),
]
urlpatterns += [
    path(
        "complaints/<int:pk>/solutions/",
        remedies.SolutionOfferView.as_view(),
        name="solution_offer",
    ),
    path(
        "complaints/solutions/<int:pk>/agree/",
        remedies.SolutionAgreeView.as_view(),
        name="solution_agree",
    ),
    path(
        "complaints/<int:pk>/compensations/",
        remedies.CompensationProposeView.as_view(),
        name="compensation_propose",
    ),
    path(
        "complaints/compensations/<int:pk>/decide/",
        remedies.CompensationDecideView.as_view(),
        name="compensation_decide",
    ),
    path(
        "complaints/compensations/",
        remedies.CompensationListView.as_view(),
        name="compensation_list",
    ),
    path(
        "complaints/compensations/<int:pk>/pay/",
        remedies.CompensationPayView.as_view(),
        name="compensation_pay",
    ),
    path("complaints/<int:pk>/charge/", remedies.ChargeView.as_view(), name="complaint_charge"),
    path(
        "complaints/<int:pk>/inspections/",
        remedies.InspectionScheduleView.as_view(),
        name="inspection_schedule",
    ),
    path(
        "complaints/inspections/<int:pk>/record/",
        remedies.InspectionRecordView.as_view(),
        name="inspection_record",
    ),
]
