"""Staff pay (issue 21): the agency's pay rules, pay periods and their statements, and the
rewards and penalties a statement adds and deducts."""

from payroll.models.adjustments import (
    AdjustmentKind,
    AdjustmentReason,
    AdjustmentStatus,
    PayAdjustment,
)
from payroll.models.rules import PayPolicy, PayRate, RateKind
from payroll.models.statements import (
    LineKind,
    PayLine,
    PayPeriod,
    PayStatement,
    StatementStatus,
)

__all__ = [
    "AdjustmentKind",
    "AdjustmentReason",
    "AdjustmentStatus",
    "LineKind",
    "PayAdjustment",
    "PayLine",
    "PayPeriod",
    "PayPolicy",
    "PayRate",
    "PayStatement",
    "RateKind",
    "StatementStatus",
]
