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
from orders.billing.views import InvoiceActionView
from orders.views.acceptance import AcceptanceActionView
from orders.views.assignment import AssignmentActionView
from orders.views.detail import OrderActionView
from orders.views.field_service import CustomerView, JobActionView


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
    ],
)
def test_every_action_page_is_built_on_the_one_action_base(view):
    assert issubclass(view, ActionMixin)
    assert "post" in view.http_method_names
    assert "post" not in vars(view), "the base's post answers for every action"
