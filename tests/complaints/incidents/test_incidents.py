import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agency.audit import Actor
from agency.errors import StateConflict
from agency.models import Notification, OutboundMessage, Role
from complaints.incidents import services
from complaints.models import (
    Category,
    Incident,
    IncidentEvent,
    IncidentKind,
    IncidentStatus,
    Tier,
)


def actor(world, role, tenant="a"):
    return Actor(user=getattr(world, tenant).user(role))


def report(client_for, world, job, **data):
    client = client_for(world.a.user(Role.STAFF))
    values = {"kind": "damage", "note": "打碎了花瓶", "submission_key": str(uuid.uuid4())}
    return client.post(reverse("my_job_incident", args=[job.pk]), {**values, **data})


def test_staff_reports_from_the_job_page_and_supervisor_and_manager_hear_at_once(
    world, job, client_for
):
    response = report(client_for, world, job)
    assert response.status_code == 302
    incident = Incident.objects.get()
    assert (incident.kind, incident.order, incident.staff) == ("damage", job.order, job.staff)
    assert incident.events.get().kind == "reported"
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {world.a.user(Role.SUPERVISOR).pk, world.a.user(Role.MANAGER).pk}
    emails = set(
        OutboundMessage.objects.filter(channel="email").values_list("recipient", flat=True)
    )
    assert emails == {world.a.user(Role.SUPERVISOR).email, world.a.user(Role.MANAGER).email}
    assert all(m.agency_id == world.a.agency.pk for m in OutboundMessage.objects.all())
    assert incident.number in Notification.objects.first().title


def test_the_supervisor_with_a_staff_profile_also_gets_an_sms(world, job):
    from tests.factories import StaffMemberFactory

    StaffMemberFactory(
        agency=world.a.agency, user=world.a.user(Role.SUPERVISOR), phone="13900001111"
    )
    services.incident_report(assignment=job, actor=actor(world, Role.STAFF), kind="injury")
    sms = OutboundMessage.objects.get(channel="sms")
    assert sms.recipient == "13900001111"
    assert sms.rule == "incident.reported:office"


def test_never_another_agencys_people_are_told(world, job):
    services.incident_report(assignment=job, actor=actor(world, Role.STAFF), kind="safety")
    b_users = {m.user.pk for m in world.b.members.values()}
    assert not Notification.objects.filter(user_id__in=b_users).exists()
    assert not OutboundMessage.objects.filter(agency=world.b.agency).exists()


def test_a_report_sent_again_counts_once(world, job, client_for):
    key = str(uuid.uuid4())
    first = report(client_for, world, job, submission_key=key)
    again = report(client_for, world, job, submission_key=key)
    assert first.status_code == again.status_code == 302
    assert Incident.objects.count() == 1
    assert Notification.objects.count() == 2


def test_someone_elses_job_answers_404(world, job, client_for):
    client = client_for(world.b.user(Role.STAFF))
    response = client.post(reverse("my_job_incident", args=[job.pk]), {"kind": "injury"})
    assert response.status_code == 404
    assert not Incident.objects.exists()


def test_staff_cannot_report_a_data_protection_incident(world, job):
    with pytest.raises(ValidationError):
        services.incident_report(
            assignment=job, actor=actor(world, Role.STAFF), kind=IncidentKind.DATA_PROTECTION
        )


@pytest.fixture
def data_leak(world):
    return services.incident_record(
        agency=world.a.agency,
        actor=actor(world, Role.DISPATCHER),
        kind=IncidentKind.DATA_PROTECTION,
        branch=world.a.branch,
        note="客户地址被发到了错误的群里",
    )


def test_data_protection_is_told_to_and_read_by_managers_only(world, data_leak, client_for):
    told = set(Notification.objects.values_list("user_id", flat=True))
    assert told == {world.a.user(Role.MANAGER).pk}
    page = reverse("incident_detail", args=[data_leak.pk])
    for role in (Role.DISPATCHER, Role.SUPERVISOR):
        client = client_for(world.a.user(role))
        assert client.get(page).status_code == 404
        assert data_leak.number not in client.get(reverse("incident_list")).content.decode()
        assert client.get(f"/api/incidents/{data_leak.pk}/").status_code == 404
    manager = client_for(world.a.user(Role.MANAGER))
    assert manager.get(page).status_code == 200
    assert data_leak.number in manager.get(reverse("incident_list")).content.decode()
    with pytest.raises(PermissionDenied):
        services.incident_close(
            incident=data_leak, actor=actor(world, Role.SUPERVISOR), outcome="x"
        )


@pytest.fixture
def damage(world, job):
    return services.incident_report(
        assignment=job, actor=actor(world, Role.STAFF), kind=IncidentKind.DAMAGE, note="花瓶"
    )


def test_owner_actions_and_close(world, damage):
    supervisor = actor(world, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.incident_assign(
            incident=damage,
            actor=actor(world, Role.DISPATCHER),
            owner=world.a.user(Role.DISPATCHER),
        )
    with pytest.raises(ValidationError):
        services.incident_assign(
            incident=damage, actor=supervisor, owner=world.b.user(Role.MANAGER)
        )
    services.incident_assign(incident=damage, actor=supervisor, owner=world.a.user(Role.DISPATCHER))
    action = services.incident_action_add(
        incident=damage,
        actor=actor(world, Role.DISPATCHER),
        text="联系客户",
        due_on=world.a.agency.today(),
    )
    services.incident_action_done(action=action, actor=actor(world, Role.DISPATCHER))
    with pytest.raises(ValidationError):
        services.incident_close(incident=damage, actor=supervisor, outcome=" ")
    services.incident_close(incident=damage, actor=supervisor, outcome="已赔偿")
    damage.refresh_from_db()
    assert damage.status == IncidentStatus.CLOSED
    assert list(IncidentEvent.objects.filter(incident=damage).values_list("kind", flat=True)) == [
        "reported",
        "owner",
        "action",
        "action_done",
        "closed",
    ]
    with pytest.raises(StateConflict):
        services.incident_close(incident=damage, actor=supervisor, outcome="again")


def test_damage_amount_is_positive_whole_cents(world, damage):
    office = actor(world, Role.DISPATCHER)
    for bad in (Decimal("0"), Decimal("-5"), Decimal("1.005")):
        with pytest.raises(ValidationError):
            services.incident_damage(
                incident=damage, actor=office, item="花瓶", description="", estimated_amount=bad
            )
    services.incident_damage(
        incident=damage,
        actor=office,
        item="花瓶",
        description="青花瓷",
        estimated_amount=Decimal("800.00"),
    )


def test_open_a_complaint_from_a_damage_incident(world, damage):
    incident = services.incident_open_complaint(incident=damage, actor=actor(world, Role.MANAGER))
    complaint = incident.complaint
    assert (complaint.category, complaint.tier, complaint.order) == (
        Category.DAMAGE,
        Tier.HARD,
        damage.order,
    )
    with pytest.raises(StateConflict):
        services.incident_open_complaint(incident=damage, actor=actor(world, Role.MANAGER))


def test_api_400_404_and_steps(world, damage, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    base = f"/api/incidents/{damage.pk}"
    assert client.post(f"{base}/close/", {}, content_type="application/json").status_code == 400
    assert (
        client.post(
            f"{base}/damage/",
            {"item": "花瓶", "estimated_amount": "-1"},
            content_type="application/json",
        ).status_code
        == 400
    )
    ok = client.post(
        f"{base}/actions/",
        {"text": "回访", "due_on": "2026-12-10"},
        content_type="application/json",
    )
    assert ok.status_code == 201
    assert ok.json()["actions"][0]["text"] == "回访"
    assert (
        client.post(f"{base}/close/", {"outcome": "done"}, content_type="application/json").json()[
            "status"
        ]
        == "closed"
    )
    outsider = client_for(world.b.user(Role.MANAGER))
    assert outsider.get(f"{base}/").status_code == 404
    assert (
        outsider.post(
            f"{base}/close/", {"outcome": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    created = client_for(world.a.user(Role.DISPATCHER)).post(
        "/api/incidents/",
        {"kind": "safety", "branch": world.b.branch.pk, "note": "x"},
        content_type="application/json",
    )
    assert created.status_code == 400


#: Session, user, membership with its agency, the agency's memberships (navigation), the
#: branch filter's choices, the count, and the rows with their joins: none per row.
NUM_PAGE_QUERIES = 7
#: Token/session, user, membership with its agency, the count, the rows with their joins.
NUM_API_QUERIES = 5


def test_lists_run_constant_queries(world, job, client_for, django_assert_num_queries):
    for kind in ("injury", "damage", "lost", "safety", "dispute", "damage"):
        services.incident_report(assignment=job, actor=actor(world, Role.STAFF), kind=kind)
    client = client_for(world.a.user(Role.MANAGER))
    client.get(reverse("incident_list"))  # warm the session and the membership
    with django_assert_num_queries(NUM_PAGE_QUERIES):
        assert client.get(reverse("incident_list") + "?kind=damage").status_code == 200
    with django_assert_num_queries(NUM_API_QUERIES):
        assert len(client.get("/api/incidents/").json()["results"]) == 6


def test_incident_figures_by_kind_and_branch(world, job, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from complaints.incidents.figures import incident_figures

    staff = actor(world, Role.STAFF)
    first = services.incident_report(assignment=job, actor=staff, kind="damage")
    services.incident_report(assignment=job, actor=staff, kind="damage")
    services.incident_report(assignment=job, actor=staff, kind="injury")
    services.incident_close(incident=first, actor=actor(world, Role.MANAGER), outcome="ok")
    now = timezone.now()
    with django_assert_num_queries(2):
        figures = incident_figures(
            agency=world.a.agency, start=now - timedelta(days=1), end=now + timedelta(days=1)
        )
    branch = world.a.branch.pk
    assert [(r.kind, r.branch_id, r.count) for r in figures.reported] == [
        ("damage", branch, 2),
        ("injury", branch, 1),
    ]
    assert figures.open_total == 2


def test_pages_take_the_steps_and_refuse_bad_input(world, damage, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    done = reverse("incident_action_done", args=[damage.pk])
    assert client.post(done, {"action": "abc"}).status_code == 400
    close = reverse("incident_close", args=[damage.pk])
    assert client.post(close, {"outcome": ""}).status_code == 400
    assert client.post(close, {"outcome": "已赔偿"}).status_code == 302
    damage.refresh_from_db()
    assert damage.status == IncidentStatus.CLOSED
    page = client.get(reverse("incident_detail", args=[damage.pk]))
    assert "已赔偿" in page.content.decode()


def test_a_photo_must_be_an_image_and_gets_a_generated_name(world, job, client_for):
    from tests.uploads import photo, text_as

    refused = report(client_for, world, job, photo=text_as("vase.png"))
    assert refused.status_code == 400
    assert not Incident.objects.exists()
    assert report(client_for, world, job, photo=photo("我的花瓶.png")).status_code == 302
    stored = Incident.objects.get().photo.name
    assert "/incidents/" in stored and "花瓶" not in stored
