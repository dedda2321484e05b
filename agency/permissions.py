"""Who may enter which area: the whole role matrix, in one table, asked in one way.

Pages and API views name their `area`; `agency.views.TenantView` and
`agency.api.HasAreaAccess` check it against this table on the server.
Services ask `require(actor, Area.X, agency_id=...)` (or `can(...)` when the
answer chooses a path), views and templates `can_access(membership.role, Area.X)`
(the `may` template filter). No other module decides by a role's name; those that
find whom to tell (the supervisors, the managers) name the role the procedure names.
Rules from DESIGN.md, "Who uses it".
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

from agency.audit import Actor
from agency.models import Membership, Role, User


class Area(StrEnum):
    HOME = "home"
    ORDERS = "orders"
    #: The dispatcher's schedule board: lanes of staff, jobs by time (issue 17).
    SCHEDULE = "schedule"
    STAFF = "staff"
    COMPLAINTS = "complaints"
    REVISITS = "revisits"
    REPORTS = "reports"
    WEEKLY_REPORTS = "weekly_reports"
    BILLING = "billing"
    #: Prepaid cards and packages (储值卡, 套餐): sold by the office, spent at billing (issue 18).
    PREPAID = "prepaid"
    MY_JOBS = "my_jobs"
    BRANCHES = "branches"
    MEMBERS = "members"
    PRICES = "prices"
    APPROVALS = "approvals"
    STAFF_DECISIONS = "staff_decisions"
    AUDIT = "audit"
    SETTINGS = "settings"
    #: The agency's message templates and its whole message log (messaging).
    MESSAGES = "messages"
    # Not pages: what a service asks before it acts.
    #: The team-supervisor and office-supervisor acceptance stages (DESIGN.md, "Acceptance").
    SIGN_OFFS = "sign_offs"
    #: Invoice adjustments and refund decisions.
    BILLING_DECISIONS = "billing_decisions"
    #: Raising a complaint up the ladder by hand, changing its severity (issue 19).
    COMPLAINT_ESCALATION = "complaint_escalation"
    #: Quality inspections (质检): checklists, plans, inspections (issue 19).
    QUALITY = "quality"
    #: The risk register and emergency plans: the office reads them (issue 19).
    RISK_REGISTER = "risk_register"
    #: Writing the risk register: the manager's (issue 19).
    RISK_PLANS = "risk_plans"
    #: Incidents on the job (事故): the office's list and pages (issue 19).
    INCIDENTS = "incidents"
    #: Data-protection incidents: a customer's data shown where it must not be (issue 19).
    DATA_PROTECTION = "data_protection"
    #: Not a page: who gives an incident its owner, closes it, opens its complaint.
    INCIDENT_DECISIONS = "incident_decisions"
    #: Live-in placements (月嫂, 育儿嫂, 住家保姆): terms, contracts, follow-up (issue 20).
    PLACEMENTS = "placements"
    #: Contract templates and the agency's signature on a contract: the manager's (issue 20).
    CONTRACTS = "contracts"
    #: Pay rules, pay periods and statements; finance approves and pays them (issue 21).
    PAYROLL = "payroll"
    #: Proposing a reward or a penalty for a staff member, with its reason (issue 21).
    PAY_ADJUSTMENTS = "pay_adjustments"
    #: Approving rewards and penalties, deciding promotions, the levels' criteria (issue 21).
    PAY_DECISIONS = "pay_decisions"
    #: A field staff member's own pay statements, on the phone (issue 21).
    MY_PAY = "my_pay"
    #: Scorecards per staff member and per branch, promotions proposed (issue 21).
    PERFORMANCE = "performance"
    #: The staff satisfaction survey's questions and results, staff suggestions (issue 21).
    STAFF_VOICE = "staff_voice"
    #: Clocking in and out at the office (every office role) (issue 21).
    OFFICE_ATTENDANCE = "office_attendance"
    #: The office's late and absent days per month: the manager's (issue 21).
    ATTENDANCE_REPORT = "attendance_report"


#: The office roles: who takes bookings, assigns, verifies and works complaints and revisits.
OFFICE = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.DISPATCHER})
_SUPERVISORS = frozenset({Role.MANAGER, Role.SUPERVISOR})

ACCESS: dict[Area, frozenset[Role]] = {
    Area.HOME: frozenset(Role),
    Area.ORDERS: OFFICE,
    Area.SCHEDULE: OFFICE,
    Area.STAFF: OFFICE,
    Area.COMPLAINTS: OFFICE,
    Area.REVISITS: OFFICE,
    Area.REPORTS: frozenset({Role.MANAGER, Role.SUPERVISOR}),
    # Supervisors review dashboards; managers download the PDF reports (DESIGN.md).
    Area.WEEKLY_REPORTS: frozenset({Role.MANAGER}),
    Area.BILLING: frozenset({Role.MANAGER, Role.FINANCE}),
    # The front desk sells cards and asks for refunds; finance takes the money (issue 18).
    Area.PREPAID: frozenset({Role.MANAGER, Role.DISPATCHER, Role.FINANCE}),
    # Managers word the agency's messages and read every message it sent (issue 16).
    Area.MESSAGES: frozenset({Role.MANAGER}),
    # Field staff see only their own jobs (and the customer's address only
    # while due on one), so they get a separate area, not a filtered ORDERS.
    Area.MY_JOBS: frozenset({Role.STAFF}),
    Area.BRANCHES: frozenset({Role.MANAGER}),
    Area.MEMBERS: frozenset({Role.MANAGER}),
    # Prices and late cancellations are the manager's (DESIGN.md, "Who uses it").
    Area.PRICES: frozenset({Role.MANAGER}),
    Area.APPROVALS: frozenset({Role.MANAGER}),
    # Time off is approved by a supervisor (DESIGN.md, "Staff"), or a manager.
    Area.STAFF_DECISIONS: frozenset({Role.MANAGER, Role.SUPERVISOR}),
    Area.AUDIT: frozenset({Role.MANAGER}),
    Area.SETTINGS: frozenset({Role.MANAGER}),
    Area.SIGN_OFFS: _SUPERVISORS,
    # Managers approve adjustments and refunds (DESIGN.md, "Who uses it").
    Area.BILLING_DECISIONS: frozenset({Role.MANAGER}),
    # Who handles escalated complaints raises them further (DESIGN.md, "Who uses it").
    Area.COMPLAINT_ESCALATION: _SUPERVISORS,
    Area.QUALITY: _SUPERVISORS,
    Area.RISK_REGISTER: OFFICE,
    Area.RISK_PLANS: frozenset({Role.MANAGER}),
    Area.INCIDENTS: OFFICE,
    # Restricted to managers: who saw a customer's data is itself sensitive (issue 19).
    Area.DATA_PROTECTION: frozenset({Role.MANAGER}),
    # The supervisor (of the job's branch) or the manager owns an incident's handling.
    Area.INCIDENT_DECISIONS: _SUPERVISORS,
    Area.PLACEMENTS: OFFICE,
    # The manager words the agency's contracts and signs them for the agency (issue 20).
    Area.CONTRACTS: frozenset({Role.MANAGER}),
    # Finance computes, approves and pays statements; the manager oversees (DESIGN.md).
    Area.PAYROLL: frozenset({Role.MANAGER, Role.FINANCE}),
    # A supervisor proposes, a manager approves (issue 21).
    Area.PAY_ADJUSTMENTS: _SUPERVISORS,
    Area.PAY_DECISIONS: frozenset({Role.MANAGER}),
    Area.MY_PAY: frozenset({Role.STAFF}),
    Area.PERFORMANCE: _SUPERVISORS,
    Area.STAFF_VOICE: _SUPERVISORS,
    Area.OFFICE_ATTENDANCE: frozenset(OFFICE | {Role.FINANCE}),
    Area.ATTENDANCE_REPORT: frozenset({Role.MANAGER}),
}


#: The page each role's day starts on: logging in lands on the home page, which lists
#: what waits for the member (the `home` app); field staff go straight on to their jobs
#: (我的工单), the only work they have (DESIGN.md, "Who uses it").
START_PAGE: dict[Role, str] = {
    Role.MANAGER: "home",
    Role.SUPERVISOR: "home",
    Role.DISPATCHER: "home",
    Role.FINANCE: "home",
    Role.STAFF: "my_jobs",
}


def can_access(role: str, area: Area) -> bool:
    return role in ACCESS[area]


def can(actor: Actor, area: Area, *, agency_id: int) -> bool:
    """Whether the actor is an active member of the agency in a role the area admits."""
    return (
        actor.user is not None
        and Membership.objects.filter(
            agency_id=agency_id, user=actor.user, role__in=ACCESS[area], is_active=True
        ).exists()
    )


def require(actor: Actor, area: Area, *, agency_id: int, message: str) -> User:
    """A rule of the agency, not only of the page: refuse whoever the area does not admit.

    `message` says who may, in the words of the rule. Answers the acting member, for the
    service to record as who did it.
    """
    if actor.user is None or not can(actor, area, agency_id=agency_id):
        raise PermissionDenied(message)
    return actor.user
