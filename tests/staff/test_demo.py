"""The demo staff: enough to match every demo service, and the same after a second run."""

from datetime import timedelta

from django.core.management import call_command

from agency.models import Agency
from orders.demo.catalogue import SERVICES
from staff import selectors
from staff.models import Certificate, StaffMember, StaffSkill, TimeOff, Training, WorkingHours


def _state():
    return {
        "staff": sorted(
            StaffMember.objects.values_list(
                "agency__slug", "phone", "name", "home_branch__code", "user__username",
                "accepts_live_in", "districts",
            )
        ),
        "skills": sorted(StaffSkill.objects.values_list("staff__phone", "code", "level")),
        "certificates": sorted(
            Certificate.objects.values_list("staff__phone", "kind", "number", "expires_on")
        ),
        "trainings": sorted(Training.objects.values_list("staff__phone", "course", "held_on")),
        "hours": sorted(
            WorkingHours.objects.values_list("staff__phone", "weekday", "starts", "ends")
        ),
        "time_off": sorted(TimeOff.objects.values_list("staff__phone", "reason", "status")),
    }  # fmt: skip


def test_seeding_twice_leaves_the_same_staff(db):
    call_command("seed_demo", verbosity=0)
    first = _state()
    call_command("seed_demo", verbosity=0)
    assert _state() == first


def test_the_demo_staff_cover_the_demo_catalogue(db):
    call_command("seed_demo", verbosity=0)
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        staff = StaffMember.objects.filter(agency=agency)
        assert staff.count() == 12
        assert staff.values("home_branch").distinct().count() == 2
        assert staff.get(user__username=f"{agency.slug}.staff").home_branch.code in {
            "chaoyang",
            "pudong",
        }
        assert staff.filter(accepts_live_in=True).count() >= 2
        codes = set(StaffSkill.objects.filter(agency=agency).values_list("code", flat=True))
        for service in SERVICES:
            assert set(service.skills) <= codes, service.code
        kinds = set(Certificate.objects.filter(agency=agency).values_list("kind", flat=True))
        assert {c for s in SERVICES for c in s.certificates} <= kinds
        assert Certificate.objects.filter(agency=agency, kind="health").count() == 12
        expiring = selectors.certificates_expiring(agency=agency)
        assert expiring.count() == 1
        assert expiring.get().expires_on - agency.today() <= timedelta(days=30)
        rows = selectors.staff_list(agency=agency)
        assert {s.trainings_this_year for s in rows} == {0, 1}
        assert selectors.time_off_pending(agency=agency).count() == 1
