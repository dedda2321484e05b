"""Every action page answers the same way because it is built on one base."""

import pytest

from agency.action_views import ActionMixin
from complaints.views.detail import ComplaintActionView
from complaints.views.sla_policy import (
    SlaHolidayAddView,
    SlaHolidayRemoveView,
    SlaOfficeHoursView,
    SlaPolicyView,
)
from feedback.views import RevisitActionView
from orders.billing.views.office import InvoiceActionView
from orders.intake.views.detail import OrderActionView
from orders.intake.views.queues import CallbackCompleteView, CancellationDecisionView
from orders.service.views.acceptance import AcceptanceActionView
from orders.service.views.field_service import CustomerView, JobActionView
from orders.staffing.views import AssignmentActionView
from reports.views import WeeklyReportRegenerateView
from staff.views import TimeOffApproveView, TimeOffRejectView


@pytest.mark.parametrize(
    "view",
    [
        OrderActionView,
        AcceptanceActionView,
        AssignmentActionView,
        JobActionView,
        InvoiceActionView,
        ComplaintActionView,
        SlaPolicyView,
        SlaOfficeHoursView,
        SlaHolidayAddView,
        SlaHolidayRemoveView,
        RevisitActionView,
        CustomerView,
        WeeklyReportRegenerateView,
        CallbackCompleteView,
        CancellationDecisionView,
        TimeOffApproveView,
        TimeOffRejectView,
    ],
)
def test_every_action_page_is_built_on_the_one_action_base(view):
    assert issubclass(view, ActionMixin)
    assert "post" in view.http_method_names
    assert "post" not in vars(view), "the base's post answers for every action"
