"""The left navigation: every area of Hearth, in the order a dispatcher works.

An entry without a URL name is an area whose pages are not built yet; the
shell shows it greyed out so the layout does not move when it arrives.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agency.models import Membership
from agency.permissions import Area, can_access


@dataclass(frozen=True)
class NavItem:
    area: Area
    label: str | Promise
    url_name: str | None


NAVIGATION: tuple[NavItem, ...] = (
    NavItem(Area.HOME, _("Home"), "home"),
    NavItem(Area.MY_JOBS, _("My jobs"), "my_jobs"),
    NavItem(Area.MY_JOBS, _("My certificates"), "my_records"),
    NavItem(Area.MY_PAY, _("My pay"), "my_pay"),
    NavItem(Area.MY_JOBS, _("My suggestions"), "my_suggestions"),
    NavItem(Area.ORDERS, _("Orders"), "order_board"),
    NavItem(Area.SCHEDULE, pgettext_lazy("navigation", "Schedule"), "schedule_board"),
    NavItem(Area.ORDERS, _("Acceptance"), "acceptance_queue"),
    NavItem(Area.ORDERS, _("Customers"), "customer_list"),
    NavItem(Area.ORDERS, _("Callbacks"), "callback_queue"),
    NavItem(Area.APPROVALS, _("Approvals"), "approval_queue"),
    NavItem(Area.ORDERS, _("Services and prices"), "catalogue"),
    NavItem(Area.STAFF, _("Staff"), "staff_list"),
    NavItem(Area.PERFORMANCE, _("Performance"), "performance"),
    NavItem(Area.STAFF_VOICE, _("Staff voice"), "voice_home"),
    NavItem(Area.PLACEMENTS, _("Placements"), "placement_list"),
    NavItem(Area.COMPLAINTS, _("Complaints"), "complaint_desk"),
    NavItem(Area.INCIDENTS, _("Incidents"), "incident_list"),
    NavItem(Area.QUALITY, _("Quality inspections"), "quality"),
    NavItem(Area.RISK_REGISTER, _("Risk register"), "risk_register"),
    NavItem(Area.REVISITS, _("Revisits"), "revisit_queue"),
    NavItem(Area.BILLING, _("Billing"), "billing_list"),
    NavItem(Area.BILLING, _("Compensation payouts"), "compensation_list"),
    NavItem(Area.PREPAID, _("Prepaid cards"), "prepaid_card_list"),
    NavItem(Area.PAYROLL, _("Payroll"), "payroll_periods"),
    NavItem(Area.PAY_ADJUSTMENTS, _("Rewards and penalties"), "pay_adjustment_list"),
    NavItem(Area.MESSAGES, _("Message log"), "message_log"),
    NavItem(Area.MESSAGES, _("Message templates"), "message_templates"),
    NavItem(Area.REPORTS, _("Reports"), "dashboard"),
    NavItem(Area.WEEKLY_REPORTS, _("Weekly reports"), "weekly_reports"),
    NavItem(Area.BRANCHES, _("Branches"), "branch_list"),
    NavItem(Area.MEMBERS, _("People and roles"), "member_list"),
    NavItem(Area.AUDIT, _("Audit log"), "audit_list"),
    NavItem(Area.OFFICE_ATTENDANCE, _("Office attendance"), "attendance"),
    NavItem(Area.SETTINGS, _("Agency settings"), "agency_settings"),
)


def navigation_for(membership: Membership | None) -> list[NavItem]:
    if membership is None:
        return []
    return [item for item in NAVIGATION if can_access(membership.role, item.area)]
