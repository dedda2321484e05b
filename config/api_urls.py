"""Everything under /api/: one router, the schema and the docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from agency.api import (
    AgencySettingsView,
    AuditLogViewSet,
    BranchViewSet,
    InvitationViewSet,
    MemberViewSet,
    MeView,
    NotificationViewSet,
    TokenLoginView,
    TokenLogoutView,
)
from complaints import remedy_api
from complaints.api import ComplaintViewSet, HolidayViewSet, SlaOfficeHoursView, SlaPolicyView
from complaints.incidents.api import IncidentViewSet
from complaints.quality.api import (
    ChecklistViewSet,
    InspectionPlanViewSet,
    InspectionViewSet,
    RiskDocumentViewSet,
)
from config.api_schema import CachedSchemaView
from feedback.api import FeedbackViewSet, RevisitViewSet
from messaging.api.messages import MessageViewSet
from messaging.api.templates import (
    MessageRuleListView,
    MessageTemplateListView,
    MessageTemplatePreviewView,
    MessageTemplateView,
)
from orders.api import OrderViewSet
from orders.billing.api import InvoiceViewSet, PaymentViewSet, RefundViewSet
from orders.intake.api import (
    CallbackViewSet,
    CancellationViewSet,
    CustomerViewSet,
    ServiceTypeViewSet,
)
from orders.intake.booking_request_api import BookingRequestViewSet
from orders.payments.api import (
    CheckoutViewSet,
    ProviderAccountViewSet,
    ReconciliationDifferenceViewSet,
    RefusedNotificationViewSet,
)
from orders.prepaid.api import CardRefundViewSet, CardViewSet, ProductViewSet
from orders.schedule.api import ScheduleAssignmentViewSet, ScheduleJobViewSet, ScheduleView
from orders.service.api.field import MyJobViewSet
from orders.service.api.office import (
    AcceptanceRoundViewSet,
    ChangeRequestViewSet,
    ReworkItemViewSet,
)
from payroll.adjustment_api import PayAdjustmentViewSet
from payroll.api import PayPeriodViewSet, PayPolicyView, PayRateViewSet, PayStatementViewSet
from payroll.my_api import MyPayStatementViewSet
from performance.api import LevelViewSet, PromotionViewSet, ScorecardViewSet
from placements.api import PlacementViewSet
from placements.billing_api import PlacementBillingViewSet
from placements.contract_api import ContractTemplateViewSet, PlacementContractViewSet
from placements.psettings_api import PlacementDuringViewSet
from placements.settings_api import PlacementSettingsView
from reports.api import AttendanceView, DashboardView, WeeklyReportViewSet
from staff.api import CertificateViewSet, StaffViewSet, TimeOffViewSet, TrainingViewSet
from voice.api import StaffSurveyViewSet, SuggestionAnswerViewSet, SuggestionViewSet

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("members", MemberViewSet, basename="membership")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("audit-log", AuditLogViewSet, basename="auditlog")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("customers", CustomerViewSet, basename="customer")
router.register("service-types", ServiceTypeViewSet, basename="servicetype")
router.register("orders", OrderViewSet, basename="order")
router.register("checkouts", CheckoutViewSet, basename="checkout")
router.register("payment-refusals", RefusedNotificationViewSet, basename="refusednotification")
router.register(
    "reconciliation-differences",
    ReconciliationDifferenceViewSet,
    basename="reconciliationdifference",
)
router.register("payment-accounts", ProviderAccountViewSet, basename="provideraccount")
router.register("cancellations", CancellationViewSet, basename="cancellation")
router.register("callbacks", CallbackViewSet, basename="callback")
router.register("booking-requests", BookingRequestViewSet, basename="bookingrequest")
router.register("my/jobs", MyJobViewSet, basename="myjob")
router.register("my/pay-statements", MyPayStatementViewSet, basename="mypaystatement")
router.register("acceptance-rounds", AcceptanceRoundViewSet, basename="acceptanceround")
router.register("rework-items", ReworkItemViewSet, basename="reworkitem")
router.register("change-requests", ChangeRequestViewSet, basename="changerequest")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("payments", PaymentViewSet, basename="payment")
router.register("refunds", RefundViewSet, basename="refund")
router.register("prepaid-products", ProductViewSet, basename="prepaid-product")
router.register("prepaid-cards", CardViewSet, basename="prepaid-card")
router.register("prepaid-refunds", CardRefundViewSet, basename="prepaid-refund")
router.register("staff", StaffViewSet, basename="staff")
router.register("certificates", CertificateViewSet, basename="certificate")
router.register("trainings", TrainingViewSet, basename="training")
router.register("time-off", TimeOffViewSet, basename="timeoff")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("quality/checklists", ChecklistViewSet, basename="checklist")
router.register("quality/plans", InspectionPlanViewSet, basename="inspectionplan")
router.register("quality/inspections", InspectionViewSet, basename="inspection")
router.register("risks", RiskDocumentViewSet, basename="riskdocument")
router.register("incidents", IncidentViewSet, basename="incident")
router.register("placements", PlacementViewSet, basename="placement")
router.register("placements", PlacementBillingViewSet, basename="placement-billing")
router.register("contract-templates", ContractTemplateViewSet, basename="contracttemplate")
router.register("placements", PlacementContractViewSet, basename="placement-contract")
router.register("placements", PlacementDuringViewSet, basename="placement-during")
router.register("levels", LevelViewSet, basename="level")
router.register("scorecards", ScorecardViewSet, basename="scorecard")
router.register("promotions", PromotionViewSet, basename="promotion")
router.register("sla-policy/holidays", HolidayViewSet, basename="holiday")
remedy_api.register(router)
router.register("revisits", RevisitViewSet, basename="revisit")
router.register("feedback", FeedbackViewSet, basename="feedback")
router.register("reports/weekly", WeeklyReportViewSet, basename="weeklyreport")
router.register("messages", MessageViewSet, basename="message")
router.register("schedule/jobs", ScheduleJobViewSet, basename="schedulejob")
router.register("schedule/assignments", ScheduleAssignmentViewSet, basename="scheduleassignment")
router.register("pay-adjustments", PayAdjustmentViewSet, basename="payadjustment")
router.register("pay-periods", PayPeriodViewSet, basename="pay-period")
router.register("pay-statements", PayStatementViewSet, basename="pay-statement")
router.register("pay-rates", PayRateViewSet, basename="pay-rate")
router.register("staff-surveys", StaffSurveyViewSet, basename="staffsurvey")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
# The same prefix: one suggestion and its answer are the supervisors' alone.
router.register("suggestions", SuggestionAnswerViewSet, basename="suggestion-reply")


urlpatterns = [
    *remedy_api.urlpatterns,
    path("auth/token/", TokenLoginView.as_view(), name="api_token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api_logout"),
    path("me/", MeView.as_view(), name="api_me"),
    path("agency/settings/", AgencySettingsView.as_view(), name="api_agency_settings"),
    path("sla-policy/", SlaPolicyView.as_view(), name="api_sla_policy"),
    path("sla-policy/office-hours/", SlaOfficeHoursView.as_view(), name="api_sla_office_hours"),
    path("message-rules/", MessageRuleListView.as_view(), name="api_message_rules"),
    path("message-templates/", MessageTemplateListView.as_view(), name="api_message_templates"),
    path(
        "message-templates/<str:rule>/<str:language>/",
        MessageTemplateView.as_view(),
        name="api_message_template",
    ),
    path(
        "message-templates/<str:rule>/<str:language>/preview/",
        MessageTemplatePreviewView.as_view(),
        name="api_message_template_preview",
    ),
    path("reports/dashboard/", DashboardView.as_view(), name="api_dashboard"),
    path("attendance/", AttendanceView.as_view(), name="api_attendance"),
    # The office's own clock (issue 21); /api/attendance/ above is the field staff's.
    path("office-attendance/", include("attendance.api_urls")),
    path("schedule/", ScheduleView.as_view(), name="api_schedule"),
    path("placement-settings/", PlacementSettingsView.as_view(), name="api_placement_settings"),
    path("pay-policy/", PayPolicyView.as_view(), name="api_pay_policy"),
    # Built once per process and language: it only changes with a deployment.
    path("schema/", CachedSchemaView.as_view(), name="api_schema"),
    # The split view hands Swagger UI its start-up script as a file, not inline (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    # The customer portal's own API: customer auth (the portal session), not a member's.
    path("portal/<slug:agency_slug>/", include("portal.api_urls")),
    path("", include(router.urls)),
]
