"""Staff figures on a known set with exact values."""

from datetime import date
from decimal import Decimal

import pytest

from staff import figures
from staff.models import EmploymentStatus
from tests.factories import (
    AgencyFactory,
    BranchFactory,
    CertificateFactory,
    StaffMemberFactory,
    TrainingFactory,
)

pytestmark = pytest.mark.django_db


def test_training_coverage_counts_active_staff_with_two_trainings(django_assert_max_num_queries):
    agency = AgencyFactory()
    branch = BranchFactory(agency=agency)
    two, one, none = (StaffMemberFactory(agency=agency, home_branch=branch) for _ in range(3))
    for day in (date(2026, 3, 1), date(2026, 9, 1)):
        TrainingFactory(agency=agency, staff=two, held_on=day)
    TrainingFactory(agency=agency, staff=one, held_on=date(2026, 3, 1))
    TrainingFactory(agency=agency, staff=one, held_on=date(2025, 3, 1))  # other year
    gone = StaffMemberFactory(agency=agency, status=EmploymentStatus.LEFT)
    TrainingFactory(agency=agency, staff=gone, held_on=date(2026, 3, 1))

    with django_assert_max_num_queries(1):
        figure = figures.training_coverage(agency=agency, year=2026)
    assert figure.value == Decimal("0.3333")
    assert figure.target == Decimal("1.0000")
    assert figure.met is False
    assert figure.measured == 3
    assert figures.training_coverage(agency=agency, year=2024).value == Decimal("0.0000")
    assert none.pk


def test_turnover_is_the_period_rate_against_a_scaled_target(django_assert_max_num_queries):
    agency = AgencyFactory()
    for _ in range(3):
        StaffMemberFactory(agency=agency, started_on=date(2024, 1, 1))
    StaffMemberFactory(
        agency=agency,
        started_on=date(2024, 1, 1),
        left_on=date(2026, 2, 10),
        status=EmploymentStatus.LEFT,
    )
    StaffMemberFactory(agency=agency, started_on=date(2026, 1, 15))
    with django_assert_max_num_queries(1):
        figure = figures.turnover(agency=agency, start=date(2026, 1, 1), end=date(2026, 4, 1))
    # at start 4 employed, at end 4: average 4; 1 left → 0.25; target 0.10 × 90/365.
    assert figure.value == Decimal("0.2500")
    assert figure.target == Decimal("0.0247")
    assert figure.met is False
    assert figure.measured == 1


def test_certificates_expiring(time_machine):
    time_machine.move_to("2026-11-02 10:00+08:00")
    agency = AgencyFactory()
    CertificateFactory(agency=agency, expires_on=date(2026, 11, 2))
    CertificateFactory(agency=agency, expires_on=date(2026, 12, 2))
    CertificateFactory(agency=agency, expires_on=date(2026, 12, 3))
    CertificateFactory(agency=agency, expires_on=date(2026, 11, 1))
    assert figures.certificates_expiring(agency=agency) == 2
    assert figures.certificates_expiring(agency=agency, within_days=31) == 3
