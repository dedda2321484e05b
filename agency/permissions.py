"""Who may enter which area: the whole role matrix, in one table.

Pages and API views name their `area`; `agency.views.TenantView` and
`agency.api.HasAreaAccess` check it against this table on the server.
Rules from DESIGN.md, "Who uses it".
"""

from enum import StrEnum

from agency.models import Role


class Area(StrEnum):
    HOME = "home"
    ORDERS = "orders"
    STAFF = "staff"
    COMPLAINTS = "complaints"
    REVISITS = "revisits"
    REPORTS = "reports"
    WEEKLY_REPORTS = "weekly_reports"
    BILLING = "billing"
    MY_JOBS = "my_jobs"
    BRANCHES = "branches"
    MEMBERS = "members"
    PRICES = "prices"
    APPROVALS = "approvals"
    STAFF_DECISIONS = "staff_decisions"
    AUDIT = "audit"
    SETTINGS = "settings"


_OFFICE = frozenset({Role.MANAGER, Role.SUPERVISOR, Role.DISPATCHER})

ACCESS: dict[Area, frozenset[Role]] = {
    Area.HOME: frozenset(Role),
    Area.ORDERS: _OFFICE,
    Area.STAFF: _OFFICE,
    Area.COMPLAINTS: _OFFICE,
    Area.REVISITS: _OFFICE,
    Area.REPORTS: frozenset({Role.MANAGER, Role.SUPERVISOR}),
    # Supervisors review dashboards; managers download the PDF reports (DESIGN.md).
    Area.WEEKLY_REPORTS: frozenset({Role.MANAGER}),
    Area.BILLING: frozenset({Role.MANAGER, Role.FINANCE}),
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
}


#: The page each role's day starts on after logging in: its own work (DESIGN.md,
#: "Who uses it"), not a welcome card. A manager's overview is the home page.
START_PAGE: dict[Role, str] = {
    Role.MANAGER: "home",
    Role.SUPERVISOR: "acceptance_queue",
    Role.DISPATCHER: "order_board",
    Role.FINANCE: "billing_list",
    Role.STAFF: "my_jobs",
}


def can_access(role: str, area: Area) -> bool:
    return role in ACCESS[area]
