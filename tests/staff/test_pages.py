"""The staff pages, end to end through the views."""

from datetime import date, datetime, timedelta

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.urls import reverse

from agency.models import AuditLog, Role
from staff.models import (
    Certificate,
    EmploymentStatus,
    StaffMember,
    TimeOff,
    TimeOffStatus,
    Training,
    WorkingHours,
)
from tests.factories import (
    BranchFactory,
    CertificateFactory,
    StaffMemberFactory,
    StaffSkillFactory,
    TimeOffFactory,
    TrainingFactory,
    WorkingHoursFactory,
)
from tests.staff.conftest import SHANGHAI
from tests.uploads import photo


@pytest.fixture(autouse=True)
def _english(world):
    """Pages in English here; the staff strings are not in the catalogue until makemessages."""
    world.a.agency.default_language = "en"
    world.a.agency.save()


@pytest.fixture
def office(world, client_for):
    return client_for(world.a.user(Role.DISPATCHER))


def _staff_post(world, **overrides):
    data = {
        "name": "李桂芳",
        "gender": "female",
        "birth_year": "1982",
        "home_branch": world.a.branch.pk,
        "phone": "159 1000 0001",
        "languages": "普通话、粤语",
        "districts": "朝阳区，东城区",
        "years_experience": "8",
        "accepts_live_in": "on",
        "status": "active",
        "started_on": "2026-03-01",
        "emergency_contact": "李强 139 0000 0000",
        "notes": "",
    }
    return {**data, **overrides}


def _rows(count, world, **kwargs):
    """Staff with skills, a training this year and a certificate due, like a busy agency."""
    for _ in range(count):
        person = StaffMemberFactory(agency=world.a.agency, home_branch=world.a.branch, **kwargs)
        StaffSkillFactory(agency=world.a.agency, staff=person, code="cleaning")
        StaffSkillFactory(agency=world.a.agency, staff=person, code="childcare", level=4)
        TrainingFactory(agency=world.a.agency, staff=person, held_on=date(2026, 5, 1))
        CertificateFactory(agency=world.a.agency, staff=person, expires_on=date(2026, 7, 1))


# --- list ---------------------------------------------------------------------------------


def test_the_list_shows_trainings_against_the_target_and_certificates_due(world, office):
    behind = StaffMemberFactory(agency=world.a.agency, name="张丽")
    TrainingFactory(agency=world.a.agency, staff=behind, held_on=date(2026, 2, 1))
    TrainingFactory(agency=world.a.agency, staff=behind, held_on=date(2025, 11, 1))  # last year
    CertificateFactory(agency=world.a.agency, staff=behind, expires_on=date(2026, 7, 10))
    on_track = StaffMemberFactory(agency=world.a.agency, name="刘芳")
    TrainingFactory.create_batch(2, agency=world.a.agency, staff=on_track, held_on=date(2026, 3, 1))
    CertificateFactory(agency=world.a.agency, staff=on_track, expires_on=date(2027, 7, 10))

    response = office.get(reverse("staff_list"))
    rows = {s.name: s for s in response.context["object_list"]}
    assert (rows["张丽"].trainings_this_year, rows["张丽"].certificates_expiring) == (1, 1)
    assert (rows["刘芳"].trainings_this_year, rows["刘芳"].certificates_expiring) == (2, 0)
    page = response.content.decode()
    assert '<span class="badge badge-warn">1/2</span>' in page
    assert '<span class="badge badge-ok">2/2</span>' in page
    assert "1 expiring soon" in page


def test_the_list_searches_by_name_or_phone_and_filters(world, office):
    other_branch = BranchFactory(agency=world.a.agency, name="海淀门店")
    wang = StaffMemberFactory(agency=world.a.agency, name="王秀兰", phone="15910000001")
    li = StaffMemberFactory(
        agency=world.a.agency, name="李桂芳", home_branch=other_branch, districts=["海淀区"]
    )
    StaffSkillFactory(agency=world.a.agency, staff=li, code="postpartum")
    gone = StaffMemberFactory(
        agency=world.a.agency,
        name="张秀英",  # no digits: "01" below must not match a name by chance
        status=EmploymentStatus.LEFT,
        left_on=date(2026, 5, 1),
    )
    StaffMemberFactory(agency=world.b.agency, name="王秀兰")

    def names(**params):
        return {s.pk for s in office.get(reverse("staff_list"), params).context["object_list"]}

    assert names(q="王") == {wang.pk}
    assert names(q="01") == set()  # too few digits for a phone search
    assert names(q="1000 0001") == {wang.pk}
    assert names(branch=other_branch.pk) == {li.pk}
    assert names(skill="postpartum") == {li.pk}
    assert names(district="海淀区") == {li.pk}
    assert names(status="left") == {gone.pk}
    # Another agency's branch is not a choice: the filter is refused, not applied.
    response = office.get(reverse("staff_list"), {"branch": world.b.branch.pk})
    assert "branch" in response.context["filter"].errors


def test_the_list_says_what_to_do_when_empty(world, office):
    page = office.get(reverse("staff_list")).content.decode()
    assert "No staff yet" in page and reverse("staff_create") in page
    page = office.get(reverse("staff_list"), {"q": "nobody"}).content.decode()
    assert "Nobody matches" in page


def test_the_list_runs_a_fixed_number_of_queries(world, office, django_assert_max_num_queries):
    _rows(3, world)
    with django_assert_max_num_queries(20) as few:
        office.get(reverse("staff_list"))
    _rows(30, world)
    with django_assert_max_num_queries(20) as many:
        response = office.get(reverse("staff_list"))
    assert len(response.context["object_list"]) == 33
    assert len(few.captured_queries) == len(many.captured_queries)


# --- create and edit ----------------------------------------------------------------------


def test_a_dispatcher_adds_a_staff_member_with_a_photo(world, office, media):
    response = office.post(reverse("staff_create"), _staff_post(world, photo=photo("li.png")))
    assert response.status_code == 302, response.context["form"].errors
    staff = StaffMember.objects.get(agency=world.a.agency)
    assert response["Location"] == reverse("staff_detail", kwargs={"pk": staff.pk})
    assert (staff.phone, staff.languages, staff.districts) == (
        "15910000001",
        ["普通话", "粤语"],
        ["朝阳区", "东城区"],
    )
    assert staff.accepts_live_in and staff.photo.name.endswith(".png")
    assert AuditLog.objects.get(action="staff.create").ip_address == "127.0.0.1"


def test_a_rejected_staff_form_keeps_the_input_and_shows_errors_by_the_fields(world, office):
    response = office.post(
        reverse("staff_create"),
        _staff_post(world, phone="12", status="left", home_branch=world.b.branch.pk),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "home_branch" in errors  # another agency's branch is not a choice
    assert not StaffMember.objects.exists()
    response = office.post(reverse("staff_create"), _staff_post(world, phone="12", status="left"))
    errors = response.context["form"].errors
    assert {"phone", "left_on"} <= set(errors)
    assert "普通话、粤语" in response.content.decode()
    assert not StaffMember.objects.exists()


def test_editing_keeps_the_photo_unless_a_new_one_is_uploaded(world, office, staff, media):
    office.post(
        reverse("staff_update", kwargs={"pk": staff.pk}),
        _staff_post(world, phone=staff.phone, photo=photo("first.png")),
    )
    staff.refresh_from_db()
    first = staff.photo.name
    response = office.post(
        reverse("staff_update", kwargs={"pk": staff.pk}),
        _staff_post(world, phone=staff.phone, years_experience="9"),
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert (staff.photo.name, staff.years_experience) == (first, 9)
    office.post(
        reverse("staff_update", kwargs={"pk": staff.pk}),
        _staff_post(world, phone=staff.phone, **{"photo-clear": "on"}),
    )
    staff.refresh_from_db()
    assert not staff.photo


def test_only_the_agencys_field_staff_logins_can_be_linked(world, office, staff):
    form = office.get(reverse("staff_update", kwargs={"pk": staff.pk})).context["form"]
    assert list(form.fields["user"].queryset) == [world.a.user(Role.STAFF)]


# --- detail ---------------------------------------------------------------------------------


def test_the_detail_shows_the_whole_record(world, office, staff):
    StaffSkillFactory(agency=world.a.agency, staff=staff, code="postpartum", level=5)
    CertificateFactory(agency=world.a.agency, staff=staff, kind="maternity-nurse", number="MN-9")
    CertificateFactory(agency=world.a.agency, staff=staff, expires_on=date(2026, 6, 30))
    TrainingFactory(agency=world.a.agency, staff=staff, course="母婴护理", held_on=date(2026, 4, 1))
    WorkingHoursFactory(agency=world.a.agency, staff=staff, weekday=0)
    TimeOffFactory(agency=world.a.agency, staff=staff, reason="回老家")
    page = office.get(reverse("staff_detail", kwargs={"pk": staff.pk})).content.decode()
    for text in (staff.phone, "Postpartum care", "MN-9", "expires soon", "母婴护理", "1/2 in 2026"):
        assert text in page, text
    assert "Monday 08:00–18:00" in page
    assert "回老家" in page and "waiting for a supervisor or manager" in page
    assert reverse("time_off_approve", kwargs={"pk": staff.time_off.get().pk}) not in page


def test_a_supervisor_sees_the_decision_buttons(world, client_for, staff):
    time_off = TimeOffFactory(agency=world.a.agency, staff=staff)
    client = client_for(world.a.user(Role.SUPERVISOR))
    page = client.get(reverse("staff_detail", kwargs={"pk": staff.pk})).content.decode()
    assert reverse("time_off_approve", kwargs={"pk": time_off.pk}) in page
    assert reverse("time_off_reject", kwargs={"pk": time_off.pk}) in page


def test_the_detail_runs_a_fixed_number_of_queries(
    world, office, staff, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            StaffSkillFactory(agency=world.a.agency, staff=staff, code=f"skill-{_counter()}")
            CertificateFactory(agency=world.a.agency, staff=staff)
            TrainingFactory(agency=world.a.agency, staff=staff)
            TimeOffFactory(
                agency=world.a.agency, staff=staff, period=DateTimeTZRange(*_next_days())
            )

    fill(2)
    with django_assert_max_num_queries(25) as few:
        office.get(reverse("staff_detail", kwargs={"pk": staff.pk}))
    fill(15)
    with django_assert_max_num_queries(25) as many:
        office.get(reverse("staff_detail", kwargs={"pk": staff.pk}))
    assert len(few.captured_queries) == len(many.captured_queries)


_COUNTER = iter(range(10_000))


def _counter():
    return next(_COUNTER)


def _next_days():
    start = datetime(2026, 7, 1, tzinfo=SHANGHAI) + timedelta(days=3 * _counter())
    return start, start + timedelta(days=1)


# --- records on the detail ------------------------------------------------------------------


def test_a_certificate_with_an_expiry_before_its_issue_shows_the_error_on_the_field(
    world, office, staff
):
    response = office.post(
        reverse("certificate_add", kwargs={"pk": staff.pk}),
        {"kind": "health", "number": "JK1", "issued_on": "2026-05-01", "expires_on": "2026-04-01"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "expires_on": ["The expiry date must be after the issue date."]
    }
    assert 'value="JK1"' in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_certificate_is_added_with_its_scan_and_edited(world, office, staff, media):
    from tests.uploads import pdf

    response = office.post(
        reverse("certificate_add", kwargs={"pk": staff.pk}),
        {"kind": "health", "number": "JK1", "issued_on": "2026-05-01", "scan": pdf()},
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    stored = certificate.scan.name
    assert stored.endswith(".pdf") and certificate.expires_on is None
    response = office.post(
        reverse("certificate_edit", kwargs={"pk": certificate.pk}),
        {"kind": "health", "number": "JK2", "issued_on": "2026-05-01", "expires_on": "2027-05-01"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("staff_detail", kwargs={"pk": staff.pk})
    certificate.refresh_from_db()
    assert (certificate.number, certificate.expires_on) == ("JK2", date(2027, 5, 1))
    assert certificate.scan.name == stored  # kept: no new scan uploaded


def test_a_training_is_recorded_from_the_page(world, office, staff):
    response = office.post(
        reverse("training_add", kwargs={"pk": staff.pk}),
        {"kind": "training", "course": "家居保洁规范", "held_on": "2026-06-10", "hours": "8"},
    )
    assert response.status_code == 302
    assert Training.objects.get().course == "家居保洁规范"
    response = office.post(
        reverse("training_add", kwargs={"pk": staff.pk}),
        {"kind": "training", "course": "未来课程", "held_on": "2026-07-10", "hours": "8"},
    )
    assert "held_on" in response.context["form"].errors


def test_the_working_pattern_page_saves_rows_and_shows_overlaps(world, office, staff):
    url = reverse("staff_working_pattern", kwargs={"pk": staff.pk})
    form = office.get(url).context["form"]
    assert [f.initial["weekday"] for f in form.forms][:7] == list(range(7))

    def post(rows):
        data = {"blocks-TOTAL_FORMS": str(len(rows)), "blocks-INITIAL_FORMS": str(len(rows))}
        for index, (weekday, starts, ends) in enumerate(rows):
            data |= {
                f"blocks-{index}-weekday": str(weekday),
                f"blocks-{index}-starts": starts,
                f"blocks-{index}-ends": ends,
            }
        return office.post(url, data)

    response = post([(0, "08:00", "12:00"), (0, "13:00", "18:00"), (1, "", ""), (2, "09:00", "")])
    assert response.status_code == 200  # Wednesday has no end
    assert "ends" in response.context["form"].forms[3].errors
    response = post([(0, "08:00", "12:00"), (0, "13:00", "18:00"), (1, "", "")])
    assert response.status_code == 302
    assert WorkingHours.objects.filter(staff=staff).count() == 2
    response = post([(0, "08:00", "12:00"), (0, "11:00", "18:00")])
    assert response.status_code == 200
    assert "Monday: 08:00–12:00 overlaps 11:00–18:00." in response.content.decode()
    assert WorkingHours.objects.filter(staff=staff).count() == 2


def test_the_skills_page_sets_levels_and_another_skill(world, office, staff):
    StaffSkillFactory(agency=world.a.agency, staff=staff, code="cleaning", level=2)
    url = reverse("staff_skills", kwargs={"pk": staff.pk})
    assert office.get(url).context["form"]["skill_cleaning"].initial == 2
    response = office.post(
        url,
        {"skill_cleaning": "", "skill_childcare": "4", "other_code": "cooking", "other_level": "3"},
    )
    assert response.status_code == 302
    assert dict(staff.skills.values_list("code", "level")) == {"childcare": 4, "cooking": 3}


# --- time off --------------------------------------------------------------------------------


def test_time_off_is_requested_and_approved_through_the_pages(world, office, client_for, staff):
    response = office.post(
        reverse("time_off_request", kwargs={"pk": staff.pk}),
        {"starts": "2026-06-20T08:00", "ends": "2026-06-21T18:00", "reason": "看病"},
    )
    assert response.status_code == 302
    time_off = TimeOff.objects.get()
    assert time_off.period.lower == datetime(2026, 6, 20, 8, tzinfo=SHANGHAI)

    # A dispatcher's approval is refused by the service and said so.
    response = office.post(reverse("time_off_approve", kwargs={"pk": time_off.pk}), follow=True)
    assert "Only a supervisor or a manager" in response.content.decode()
    time_off.refresh_from_db()
    assert time_off.status == TimeOffStatus.REQUESTED

    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    pending = supervisor.get(reverse("time_off_pending"))
    assert list(pending.context["object_list"]) == [time_off]
    response = supervisor.post(
        reverse("time_off_approve", kwargs={"pk": time_off.pk}),
        {"next": reverse("time_off_pending")},
    )
    assert response["Location"] == reverse("time_off_pending")
    time_off.refresh_from_db()
    assert (time_off.status, time_off.decided_by) == (
        TimeOffStatus.APPROVED,
        world.a.user(Role.SUPERVISOR),
    )
    # Deciding again is refused with a message, not an error page.
    response = supervisor.post(reverse("time_off_reject", kwargs={"pk": time_off.pk}), follow=True)
    assert "already approved" in response.content.decode()


def test_an_overlapping_approval_is_refused_with_a_message(world, client_for, staff):
    TimeOffFactory(
        agency=world.a.agency,
        staff=staff,
        status=TimeOffStatus.APPROVED,
        period=DateTimeTZRange(
            datetime(2026, 6, 20, tzinfo=SHANGHAI), datetime(2026, 6, 22, tzinfo=SHANGHAI)
        ),
    )
    clash = TimeOffFactory(
        agency=world.a.agency,
        staff=staff,
        period=DateTimeTZRange(
            datetime(2026, 6, 21, tzinfo=SHANGHAI), datetime(2026, 6, 23, tzinfo=SHANGHAI)
        ),
    )
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(reverse("time_off_approve", kwargs={"pk": clash.pk}), follow=True)
    assert "overlaps approved time off" in response.content.decode()
    clash.refresh_from_db()
    assert clash.status == TimeOffStatus.REQUESTED


def test_a_decision_never_redirects_off_site(world, client_for, staff):
    time_off = TimeOffFactory(agency=world.a.agency, staff=staff)
    response = client_for(world.a.user(Role.MANAGER)).post(
        reverse("time_off_reject", kwargs={"pk": time_off.pk}), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("staff_detail", kwargs={"pk": staff.pk})


def test_a_time_off_request_ending_before_it_starts_shows_the_error(world, office, staff):
    response = office.post(
        reverse("time_off_request", kwargs={"pk": staff.pk}),
        {"starts": "2026-06-21T08:00", "ends": "2026-06-20T18:00", "reason": "看病"},
    )
    assert response.context["form"].errors == {"ends": ["The end must be after the start."]}


# --- queues ------------------------------------------------------------------------------------


def test_the_expiring_page_lists_certificates_due_soonest_first_and_not_renewed_ones(world, office):
    soon = CertificateFactory(agency=world.a.agency, expires_on=date(2026, 6, 20))
    later = CertificateFactory(agency=world.a.agency, expires_on=date(2026, 7, 15))
    CertificateFactory(agency=world.a.agency, expires_on=date(2026, 7, 16))  # day 31
    CertificateFactory(agency=world.a.agency, expires_on=date(2026, 6, 14))  # already expired
    renewed = CertificateFactory(agency=world.a.agency, expires_on=date(2026, 6, 25))
    CertificateFactory(
        agency=world.a.agency,
        staff=renewed.staff,
        kind=renewed.kind,
        issued_on=date(2026, 6, 1),
        expires_on=date(2027, 6, 25),
    )
    gone = StaffMemberFactory(
        agency=world.a.agency, status=EmploymentStatus.LEFT, left_on=date(2026, 6, 1)
    )
    CertificateFactory(agency=world.a.agency, staff=gone, expires_on=date(2026, 6, 20))
    CertificateFactory(agency=world.b.agency, expires_on=date(2026, 6, 20))

    response = office.get(reverse("certificates_expiring"))
    assert list(response.context["object_list"]) == [soon, later]
    assert soon.staff.name in response.content.decode()


def test_the_expiring_page_says_when_nothing_is_due(world, office):
    page = office.get(reverse("certificates_expiring")).content.decode()
    assert "No certificate expires within the next 30 days." in page


@pytest.mark.parametrize("url_name", ["certificates_expiring", "time_off_pending"])
def test_the_queues_run_a_fixed_number_of_queries(
    world, office, url_name, django_assert_max_num_queries
):
    def fill(count):
        for _ in range(count):
            CertificateFactory(agency=world.a.agency, expires_on=date(2026, 6, 30))
            TimeOffFactory(agency=world.a.agency)

    fill(3)
    with django_assert_max_num_queries(20) as few:
        office.get(reverse(url_name))
    fill(30)
    with django_assert_max_num_queries(20) as many:
        response = office.get(reverse(url_name))
    assert len(response.context["object_list"]) == 33
    assert len(few.captured_queries) == len(many.captured_queries)


def test_the_time_off_queue_is_empty_with_a_hint(world, office):
    page = office.get(reverse("time_off_pending")).content.decode()
    assert "No time off is waiting for a decision" in page


def test_the_working_pattern_shows_weekdays_in_chinese(world, office, staff):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    WorkingHoursFactory(agency=world.a.agency, staff=staff, weekday=0)
    page = office.get(reverse("staff_detail", kwargs={"pk": staff.pk})).content.decode()
    assert "星期一 08:00–18:00" in page


def test_the_navigation_leads_to_the_staff_list(world, office):
    page = office.get(reverse("home")).content.decode()
    assert f'href="{reverse("staff_list")}"' in page
