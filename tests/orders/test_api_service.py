"""The service log, change requests and acceptance through the API: the same rules as the
services, answered with the API's status codes (400 input, 403 role, 404 not yours, 409 state).
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agency.audit import Actor
from agency.models import AuditLog, Channel, OutboundMessage, Role
from orders.models import (
    AcceptanceRound,
    ChangeRequest,
    ChangeStatus,
    CustomerSignature,
    EntryKind,
    FailedItem,
    OrderStatus,
    RoundOutcome,
    ServiceLogEntry,
    Signoff,
    Stage,
)
from orders.service.services.acceptance import acceptance_sign_lead, acceptance_sign_supervisor
from orders.service.services.service_log import (
    log_check_in,
    log_check_out,
    log_preparation,
    log_task,
)
from tests.factories import (
    AcceptanceRoundFactory,
    AssignmentFactory,
    ChangeRequestFactory,
    OrderFactory,
    ServiceTypeFactory,
    StaffMemberFactory,
)
from tests.uploads import photo


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    client.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return client


def job_url(job, action: str | None = None) -> str:
    return reverse(f"myjob-{action or 'detail'}", kwargs={"pk": job.pk})


def round_url(round_, action: str | None = None) -> str:
    return reverse(f"acceptanceround-{action or 'detail'}", kwargs={"pk": round_.pk})


def post(client: APIClient, url: str, data: dict | None = None):
    return client.post(url, data or {}, format="json")


def serve(job) -> None:
    """Through the services: prepared, checked in, tasks done, checked out: in inspection."""
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    for task in job.order.needs_form.checklist:
        log_task(assignment=job.lead, actor=job.lead_actor, item=task)
    log_check_out(assignment=job.lead, actor=job.lead_actor)


def up_to_customer(world, job) -> AcceptanceRound:
    """Served, and stages 1–3 signed: the open round waits for the customer."""
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    signers = ((Stage.TEAM_SUPERVISOR, Role.SUPERVISOR), (Stage.OFFICE_SUPERVISOR, Role.MANAGER))
    for stage, role in signers:
        acceptance_sign_supervisor(
            order=job.order, stage=stage, actor=Actor(user=world.a.user(role)), passed=True
        )
    return AcceptanceRound.objects.get(order=job.order, outcome=RoundOutcome.OPEN)


def written() -> dict[str, int]:
    """Rows any acceptance step could add."""
    return {
        "signoffs": Signoff.objects.count(),
        "failed": FailedItem.objects.count(),
        "signatures": CustomerSignature.objects.count(),
        "rounds": AcceptanceRound.objects.count(),
        "audit": AuditLog.objects.count(),
    }


# --- the whole story -------------------------------------------------------------


def test_two_rounds_through_the_api_from_preparation_to_accepted_on_the_device(world, team_job):
    job = team_job
    lead, member = api(job.lead_actor.user), api(job.member_actor.user)
    team, office = api(world.a.user(Role.SUPERVISOR)), api(world.a.user(Role.MANAGER))
    dispatcher = api(world.a.user(Role.DISPATCHER))

    for line in job.order.service_type.preparation_checklist:
        response = post(lead, job_url(job.lead, "prepare"), {"item": line})
        assert response.status_code == 201, response.json()
    assert response.json()["prepared"] == job.order.service_type.preparation_checklist
    arrived = post(
        lead,
        job_url(job.lead, "check-in"),
        {"latitude": 39.90421234, "longitude": 116.40739, "accuracy_m": 12},
    )
    assert arrived.status_code == 201, arrived.json()
    assert arrived.json()["order"]["status"] == "in_service"
    check_in = ServiceLogEntry.objects.get(assignment=job.lead, kind=EntryKind.CHECK_IN)
    assert (check_in.latitude, check_in.longitude) == (Decimal("39.904212"), Decimal("116.407390"))
    assert post(member, job_url(job.member, "check-in")).status_code == 201
    for task in job.order.needs_form.checklist:
        assert post(member, job_url(job.member, "tasks"), {"item": task}).status_code == 201
    noted = lead.post(
        job_url(job.lead, "notes"),
        {"text": "厨房完工", "photo": photo("kitchen.png")},
        format="multipart",
    )
    assert noted.status_code == 201, noted.json()
    [photo_entry] = [e for e in noted.json()["log"] if e["kind"] == "photo"]
    assert photo_entry["text"] == "厨房完工"
    assert photo_entry["photo"].startswith("http://testserver/")
    assert post(member, job_url(job.member, "check-out")).status_code == 201
    left = post(lead, job_url(job.lead, "check-out"))
    assert left.json()["order"]["status"] == "inspection"
    assert left.json()["tasks_done"] == job.order.needs_form.checklist
    assert left.json()["open_round"]["waiting_stage"] == Stage.LEAD
    inspected = post(lead, job_url(job.lead, "inspections"), {"item": "厨房", "ok": True})
    assert inspected.status_code == 201, inspected.json()

    signed = post(lead, job_url(job.lead, "sign"), {"passed": True, "comment": "全部完成"})
    assert signed.status_code == 201, signed.json()
    first = AcceptanceRound.objects.get(order=job.order, number=1)
    assert signed.json()["open_round"]["id"] == first.pk
    assert signed.json()["open_round"]["waiting_stage"] == Stage.TEAM_SUPERVISOR

    response = post(team, round_url(first, "sign"), {"stage": 2, "passed": True})
    assert response.status_code == 201, response.json()
    failed = post(
        office,
        round_url(first, "sign"),
        {
            "stage": 3,
            "passed": False,
            "failed_items": [
                {"description": "卫生间", "responsible": job.member.staff.pk},
                {"description": "窗台有灰"},
            ],
            "comment": "返工",
        },
    )
    assert failed.status_code == 201, failed.json()
    body = failed.json()
    assert (body["outcome"], body["waiting_stage"]) == ("failed", None)
    assert [s["stage"] for s in body["signoffs"]] == [1, 2, 3]
    stage3 = body["signoffs"][2]
    assert (stage3["passed"], stage3["signer"]) == (False, "alpha-manager")
    assert [(i["description"], i["responsible"]["name"]) for i in stage3["failed_items"]] == [
        ("卫生间", "李阿姨"),
        ("窗台有灰", "张阿姨"),
    ]
    assert job.reload().status == OrderStatus.REWORK

    due = dispatcher.get(reverse("reworkitem-list"), {"order": job.order.pk})
    assert due.status_code == 200
    items = due.json()["results"]
    assert [(i["description"], i["round"], i["stage"]) for i in items] == [
        ("卫生间", 1, 3),
        ("窗台有灰", 1, 3),
    ]
    # The lead's job shows what is to redo; nobody may ask for the next round yet.
    assert [i["id"] for i in lead.get(job_url(job.lead)).json()["rework_items"]] == [
        i["id"] for i in items
    ]
    early = post(dispatcher, reverse("acceptanceround-list"), {"order": job.order.pk})
    assert early.status_code == 400 and "items" in early.json()

    redone = post(
        member, job_url(job.member, "rework"), {"item": items[0]["id"], "note": "重新清洁"}
    )
    assert redone.status_code == 201, redone.json()
    assert post(lead, job_url(job.lead, "rework"), {"item": items[1]["id"]}).status_code == 201
    second = post(dispatcher, reverse("acceptanceround-list"), {"order": job.order.pk})
    assert second.status_code == 201, second.json()
    assert (second.json()["number"], second.json()["waiting_stage"]) == (2, Stage.LEAD)
    assert job.reload().status == OrderStatus.INSPECTION
    round2 = AcceptanceRound.objects.get(pk=second.json()["id"])

    assert post(lead, job_url(job.lead, "sign"), {"passed": True}).status_code == 201
    assert post(team, round_url(round2, "sign"), {"stage": 2, "passed": True}).status_code == 201
    assert post(office, round_url(round2, "sign"), {"stage": 3, "passed": True}).status_code == 201
    accepted = post(
        lead,
        job_url(job.lead, "customer-acceptance"),
        {"signed_name": "王芳", "passed": True, "score": 4, "comment": "满意"},
    )
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["order"]["status"] == "accepted"
    assert accepted.json()["open_round"] is None
    assert job.reload().status == OrderStatus.ACCEPTED

    record = office.get(round_url(round2)).json()
    assert record["outcome"] == "passed"
    customer = record["signoffs"][3]
    assert (customer["stage"], customer["score"], customer["signed_via"]) == (4, 4, "device")
    assert (customer["signer"], customer["signer_name"], customer["comment"]) == (
        None,
        "王芳",
        "满意",
    )
    # The first round and its failure are kept.
    history = office.get(reverse("acceptanceround-list"), {"order": job.order.pk}).json()
    assert [(r["number"], r["outcome"]) for r in history["results"]] == [
        (1, "failed"),
        (2, "passed"),
    ]
    assert job.order.log_entries.filter(kind=EntryKind.REWORK).count() == 2


def test_a_job_never_shows_the_customers_phone_or_street_address(world, team_job):
    job = team_job
    response = api(job.lead_actor.user).get(job_url(job.lead))
    assert response.status_code == 200
    body = response.json()
    assert body["order"]["address"] == "朝阳区 ···"
    assert body["order"]["customer_name"] == job.order.customer.name
    content = response.content.decode()
    assert job.order.customer.phone not in content
    assert job.order.needs_form.address.detail not in content
    listed = api(job.lead_actor.user).get(reverse("myjob-list")).content.decode()
    assert job.order.customer.phone not in listed
    assert job.order.needs_form.address.detail not in listed


def test_my_jobs_lists_only_the_requesting_staff_members_jobs(world, team_job):
    response = api(team_job.member_actor.user).get(reverse("myjob-list"))
    assert [j["id"] for j in response.json()["results"]] == [team_job.member.pk]
    # Another person's job on the same order answers like a missing one.
    other = api(team_job.member_actor.user).get(job_url(team_job.lead))
    assert other.status_code == 404
    assert post(api(team_job.member_actor.user), job_url(team_job.lead, "sign")).status_code == 404


# --- the service log's input ------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "field"),
    [
        ({"latitude": 91, "longitude": 116.4}, "latitude"),
        ({"latitude": 39.9, "longitude": -180.5}, "longitude"),
        ({"latitude": 39.9}, "longitude"),
        ({"longitude": 116.4}, "latitude"),
        ({"accuracy_m": 10}, "accuracy_m"),
        ({"latitude": 39.9, "longitude": 116.4, "accuracy_m": -1}, "accuracy_m"),
    ],
)
def test_a_check_in_position_is_whole_and_on_earth(world, team_job, position, field):
    job = team_job
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    response = post(api(job.lead_actor.user), job_url(job.lead, "check-in"), position)
    assert response.status_code == 400
    assert field in response.json()
    assert not ServiceLogEntry.objects.filter(kind=EntryKind.CHECK_IN).exists()
    assert job.reload().status == OrderStatus.ASSIGNED


def test_check_in_before_preparation_is_a_field_error_and_twice_a_conflict(world, team_job):
    job = team_job
    lead = api(job.lead_actor.user)
    unprepared = post(lead, job_url(job.lead, "check-in"))
    assert unprepared.status_code == 400 and "item" in unprepared.json()
    for line in job.order.service_type.preparation_checklist:
        post(lead, job_url(job.lead, "prepare"), {"item": line})
    assert post(lead, job_url(job.lead, "check-in")).status_code == 201
    assert post(lead, job_url(job.lead, "check-in")).status_code == 409


def test_a_correction_names_an_entry_of_this_job_and_replaces_it(world, team_job):
    job = team_job
    serve(job)
    lead = api(job.lead_actor.user)
    noted = post(lead, job_url(job.lead, "notes"), {"text": "客厅地毯有污渍"})
    assert noted.status_code == 201, noted.json()
    entry = ServiceLogEntry.objects.get(kind=EntryKind.NOTE, order=job.order)
    corrected = post(
        lead, job_url(job.lead, "corrections"), {"entry": entry.pk, "text": "客厅地毯有旧污渍"}
    )
    assert corrected.status_code == 201, corrected.json()
    notes = [e for e in corrected.json()["log"] if e["kind"] == "note"]
    assert [(n["text"], n["corrects"]) for n in notes] == [("客厅地毯有旧污渍", entry.pk)]
    # An entry of another order is unknown here, as if it did not exist.
    other = ServiceLogEntry.objects.create(
        agency=world.a.agency,
        order=(elsewhere := AssignmentFactory(agency=world.a.agency, status="confirmed")).order,
        assignment=elsewhere,
        kind=EntryKind.NOTE,
        text="别处",
        author=job.lead_actor.user,
    )
    foreign = post(lead, job_url(job.lead, "corrections"), {"entry": other.pk, "text": "x"})
    assert foreign.status_code == 400 and "entry" in foreign.json()


def test_an_empty_note_is_refused(world, team_job):
    job = team_job
    serve(job)
    response = post(api(job.lead_actor.user), job_url(job.lead, "notes"), {"text": "  "})
    assert response.status_code == 400 and "text" in response.json()


# --- acceptance: the refusals, each with its status code ----------------------------


@pytest.mark.parametrize("score", [0, 6, None])
def test_a_customer_score_outside_1_to_5_is_refused_and_nothing_written(world, team_job, score):
    job = team_job
    up_to_customer(world, job)
    before = written()
    response = post(
        api(job.lead_actor.user),
        job_url(job.lead, "customer-acceptance"),
        {"signed_name": "王芳", "passed": True, "score": score},
    )
    assert response.status_code == 400
    assert "score" in response.json()
    assert written() == before
    assert job.reload().status == OrderStatus.INSPECTION


def test_signing_out_of_turn_or_twice_is_a_conflict(world, team_job):
    job = team_job
    serve(job)
    round_ = AcceptanceRound.objects.get(order=job.order)
    team, office = api(world.a.user(Role.SUPERVISOR)), api(world.a.user(Role.MANAGER))
    lead = api(job.lead_actor.user)

    early = post(team, round_url(round_, "sign"), {"stage": 2, "passed": True})
    assert early.status_code == 409
    assert post(lead, job_url(job.lead, "sign"), {"passed": True}).status_code == 201
    again = post(lead, job_url(job.lead, "sign"), {"passed": True})
    assert again.status_code == 409
    skipped = post(office, round_url(round_, "sign"), {"stage": 3, "passed": True})
    assert skipped.status_code == 409
    assert post(team, round_url(round_, "sign"), {"stage": 2, "passed": True}).status_code == 201
    twice = post(office, round_url(round_, "sign"), {"stage": 2, "passed": True})
    assert twice.status_code == 409
    assert Signoff.objects.filter(round=round_).count() == 2


def test_only_supervisors_sign_stages_2_and_3_and_not_both(world, team_job):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    round_ = AcceptanceRound.objects.get(order=job.order)
    dispatcher = post(
        api(world.a.user(Role.DISPATCHER)), round_url(round_, "sign"), {"stage": 2, "passed": True}
    )
    assert dispatcher.status_code == 403
    team = api(world.a.user(Role.SUPERVISOR))
    assert post(team, round_url(round_, "sign"), {"stage": 2, "passed": True}).status_code == 201
    same_person = post(team, round_url(round_, "sign"), {"stage": 3, "passed": True})
    assert same_person.status_code == 403
    # A member of the team is not the on-site lead.
    member = post(api(job.member_actor.user), job_url(job.member, "sign"), {"passed": True})
    assert member.status_code == 403
    assert Signoff.objects.filter(round=round_).count() == 2


def test_a_failed_stage_needs_items_and_a_passed_one_has_none(world, team_job):
    job = team_job
    serve(job)
    lead = api(job.lead_actor.user)
    before = written()
    assert post(lead, job_url(job.lead, "sign"), {"passed": False}).status_code == 400
    mixed = {"passed": True, "failed_items": [{"description": "厨房"}]}
    assert post(lead, job_url(job.lead, "sign"), mixed).status_code == 400
    assert post(lead, job_url(job.lead, "sign"), {}).json().keys() == {"passed"}
    assert written() == before


def test_a_foreign_or_unknown_staff_id_is_a_field_error(world, team_job):
    job = team_job
    serve(job)
    outsider = StaffMemberFactory(agency=world.b.agency)
    before = written()
    response = post(
        api(job.lead_actor.user),
        job_url(job.lead, "sign"),
        {"passed": False, "failed_items": [{"description": "厨房", "responsible": outsider.pk}]},
    )
    assert response.status_code == 400
    unknown = f'Invalid pk "{outsider.pk}" - object does not exist.'
    assert response.json() == {"failed_items": {"0": {"responsible": [unknown]}}}
    # Of this agency but not on the team: the service's field error.
    stranger = StaffMemberFactory(agency=world.a.agency)
    response = post(
        api(job.lead_actor.user),
        job_url(job.lead, "sign"),
        {"passed": False, "failed_items": [{"description": "厨房", "responsible": stranger.pk}]},
    )
    assert response.status_code == 400 and "responsible" in response.json()
    assert written() == before


def test_another_agencys_round_answers_404(world, team_job):
    serve(team_job)
    round_ = AcceptanceRound.objects.get(order=team_job.order)
    outsider = api(world.b.user(Role.MANAGER))
    assert outsider.get(round_url(round_)).status_code == 404
    for action in ("sign", "verify", "customer-link"):
        assert post(outsider, round_url(round_, action), {"stage": 2}).status_code == 404
    listed = outsider.get(reverse("acceptanceround-list"))
    assert listed.json()["results"] == []
    # Filtering by another agency's order is refused like an unknown one.
    by_order = outsider.get(reverse("acceptanceround-list"), {"order": team_job.order.pk})
    assert by_order.status_code == 400


def test_staff_cannot_use_the_office_endpoints(world, team_job):
    serve(team_job)
    round_ = AcceptanceRound.objects.get(order=team_job.order)
    staff = api(team_job.lead_actor.user)
    for name in ("acceptanceround-list", "reworkitem-list", "changerequest-list"):
        assert staff.get(reverse(name)).status_code == 403
    assert post(staff, round_url(round_, "sign"), {"stage": 2, "passed": True}).status_code == 403
    next_round = post(staff, reverse("acceptanceround-list"), {"order": team_job.order.pk})
    assert next_round.status_code == 403
    # And the office has no "my jobs".
    assert api(world.a.user(Role.MANAGER)).get(reverse("myjob-list")).status_code == 403


def test_a_round_that_closed_meanwhile_is_not_signed_through_its_url(world, team_job):
    job = team_job
    up_to_customer(world, job)
    first = AcceptanceRound.objects.get(order=job.order)
    office = api(world.a.user(Role.MANAGER))
    failed = post(
        office,
        round_url(first, "verify"),
        {
            "signed_name": "王芳",
            "verification_reason": "客户在外地，电话确认",
            "passed": False,
            "failed_items": [{"description": "厨房"}],
        },
    )
    assert failed.status_code == 201, failed.json()
    item = FailedItem.objects.get(order=job.order)
    post(api(job.lead_actor.user), job_url(job.lead, "rework"), {"item": item.pk})
    post(api(job.lead_actor.user), job_url(job.lead, "rework-submit"))
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    before = written()
    team = api(world.a.user(Role.SUPERVISOR))
    stale = post(team, round_url(first, "sign"), {"stage": 2, "passed": True})
    assert stale.status_code == 409
    assert written() == before
    assert post(office, round_url(first, "customer-link")).status_code == 409


# --- the customer's stage by the office ---------------------------------------------


def test_the_office_verifies_the_customers_stage_without_a_score(world, team_job):
    job = team_job
    round_ = up_to_customer(world, job)
    dispatcher = api(world.a.user(Role.DISPATCHER))
    verification = {"signed_name": "王芳", "verification_reason": "电话确认", "passed": True}
    before = written()
    with_score = post(dispatcher, round_url(round_, "verify"), {**verification, "score": 5})
    # Only the customer gives a score: refused, not dropped.
    assert with_score.status_code == 400 and "score" in with_score.json()
    assert written() == before
    verified = post(dispatcher, round_url(round_, "verify"), verification)
    assert verified.status_code == 201, verified.json()
    customer = verified.json()["signoffs"][3]
    assert (customer["signed_via"], customer["score"], customer["verified_by"]) == (
        "office",
        None,
        "alpha-dispatcher",
    )
    assert customer["verification_reason"] == "电话确认"
    assert job.reload().status == OrderStatus.ACCEPTED


def test_the_office_must_say_why_it_signs_for_the_customer(world, team_job):
    round_ = up_to_customer(world, team_job)
    before = written()
    response = post(
        api(world.a.user(Role.DISPATCHER)),
        round_url(round_, "verify"),
        {"signed_name": "王芳", "verification_reason": "", "passed": True},
    )
    assert response.status_code == 400 and "verification_reason" in response.json()
    assert written() == before


def test_the_customer_link_is_texted_with_an_absolute_url(world, team_job):
    round_ = up_to_customer(world, team_job)
    response = post(api(world.a.user(Role.DISPATCHER)), round_url(round_, "customer-link"))
    assert response.status_code == 200, response.json()
    url = response.json()["url"]
    assert url.startswith("http://testserver/")
    # The customer also heard the staff member arrive (job.arrived): the link is the other.
    [text] = OutboundMessage.objects.filter(channel=Channel.SMS).exclude(rule__startswith="job.")
    assert (text.recipient, url in text.body) == (team_job.order.customer.phone, True)


def test_the_queue_filters_by_waiting_stage(world, team_job):
    serve(team_job)
    waiting_lead = AcceptanceRound.objects.get(order=team_job.order)
    waiting_customer = AcceptanceRoundFactory(agency=world.a.agency, next_stage=Stage.CUSTOMER)
    client = api(world.a.user(Role.SUPERVISOR))
    for stage, expected in ((1, [waiting_lead.pk]), (4, [waiting_customer.pk]), (2, [])):
        response = client.get(reverse("acceptanceround-list"), {"stage": stage, "outcome": "open"})
        assert [r["id"] for r in response.json()["results"]] == expected


# --- rework ------------------------------------------------------------------------


def test_the_office_hands_a_failed_item_to_another_team_member(world, team_job):
    job = team_job
    serve(job)
    post(
        api(job.lead_actor.user),
        job_url(job.lead, "sign"),
        {"passed": False, "failed_items": [{"description": "卫生间"}]},
    )
    item = FailedItem.objects.get(order=job.order)
    assert item.responsible == job.lead.staff
    url = reverse("reworkitem-reassign", kwargs={"pk": item.pk})
    dispatcher = api(world.a.user(Role.DISPATCHER))
    outsider = StaffMemberFactory(agency=world.b.agency)
    assert post(dispatcher, url, {"staff": outsider.pk}).status_code == 400
    stranger = StaffMemberFactory(agency=world.a.agency)
    assert post(dispatcher, url, {"staff": stranger.pk}).status_code == 400
    moved = post(dispatcher, url, {"staff": job.member.staff.pk})
    assert moved.status_code == 200, moved.json()
    assert moved.json()["responsible"]["name"] == "李阿姨"
    assert post(api(world.b.user(Role.DISPATCHER)), url, {"staff": 1}).status_code == 404
    # Now the member is responsible, and may redo it; once redone it stays with them.
    member = api(job.member_actor.user)
    assert post(member, job_url(job.member, "rework"), {"item": item.pk}).status_code == 201
    assert post(dispatcher, url, {"staff": job.lead.staff.pk}).status_code == 409


# --- change requests ------------------------------------------------------------------


def test_a_change_asked_on_site_is_approved_by_the_customer_on_the_device(world, team_job):
    job = team_job
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    lead = api(job.lead_actor.user)
    asked = post(
        lead, job_url(job.lead, "change-requests"), {"description": "加做阳台", "quantity": "1.5"}
    )
    assert asked.status_code == 201, asked.json()
    [change] = asked.json()["change_requests"]
    assert (change["status"], change["unit_price"], change["amount"]) == (
        "awaiting",
        "50.00",
        "75.00",
    )
    # The office sees it waiting for the customer.
    office = api(world.a.user(Role.DISPATCHER))
    awaiting = {"order": job.order.pk, "status": "awaiting"}
    listed = office.get(reverse("changerequest-list"), awaiting)
    assert [c["id"] for c in listed.json()["results"]] == [change["id"]]

    unsigned = post(
        lead, job_url(job.lead, "approve-change"), {"change": change["id"], "signed_name": ""}
    )
    assert unsigned.status_code == 400 and "signed_name" in unsigned.json()
    approved = post(
        lead, job_url(job.lead, "approve-change"), {"change": change["id"], "signed_name": "王芳"}
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["change_requests"][0]["status"] == "approved"
    assert approved.json()["change_requests"][0]["signed_via"] == "device"
    again = post(lead, job_url(job.lead, "decline-change"), {"change": change["id"]})
    assert again.status_code == 409


def test_a_change_of_another_order_or_agency_is_unknown_on_the_job(world, team_job):
    job = team_job
    elsewhere = ChangeRequestFactory(agency=world.a.agency)
    foreign = ChangeRequestFactory(agency=world.b.agency)
    lead = api(job.lead_actor.user)
    for change in (elsewhere, foreign):
        response = post(
            lead, job_url(job.lead, "approve-change"), {"change": change.pk, "signed_name": "王芳"}
        )
        assert response.status_code == 400 and "change" in response.json()
    foreign_service = ServiceTypeFactory(agency=world.b.agency)
    response = post(
        lead,
        job_url(job.lead, "change-requests"),
        {"description": "x", "quantity": "1", "service_type": foreign_service.pk},
    )
    assert response.status_code == 400 and "service_type" in response.json()


def test_the_office_asks_for_a_change_texts_the_link_and_withdraws_it(world, team_job):
    job = team_job
    office = api(world.a.user(Role.DISPATCHER))
    created = post(
        office,
        reverse("changerequest-list"),
        {"order": job.order.pk, "description": "少做一小时", "quantity": "-1"},
    )
    assert created.status_code == 201, created.json()
    assert created.json()["amount"] == "-50.00"
    change = ChangeRequest.objects.get(pk=created.json()["id"])
    linked = post(office, reverse("changerequest-customer-link", kwargs={"pk": change.pk}))
    assert linked.status_code == 200
    [text] = OutboundMessage.objects.filter(channel=Channel.SMS)
    assert linked.json()["url"] in text.body
    url = reverse("changerequest-withdraw", kwargs={"pk": change.pk})
    assert post(office, url, {"reason": ""}).status_code == 400
    withdrawn = post(office, url, {"reason": "客户改主意"})
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == ChangeStatus.WITHDRAWN
    assert post(office, url, {"reason": "again"}).status_code == 409
    foreign_order = OrderFactory(agency=world.b.agency)
    response = post(
        office,
        reverse("changerequest-list"),
        {"order": foreign_order.pk, "description": "x", "quantity": "1"},
    )
    assert response.status_code == 400 and "order" in response.json()


# --- constant query counts ------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_the_acceptance_queue_runs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries, rows
):
    AcceptanceRoundFactory.create_batch(rows, agency=world.a.agency)
    AcceptanceRoundFactory(agency=world.b.agency)
    client = client_for(world.a.user(Role.SUPERVISOR))
    # session, user, memberships with agency and branch, count,
    # page of rounds joined with order, customer, service and branch
    with django_assert_num_queries(5):
        response = client.get(reverse("acceptanceround-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert len(response.json()["results"]) == rows


@pytest.mark.parametrize("rows", [1, 5])
def test_my_jobs_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries, rows):
    user = world.a.user(Role.STAFF)
    staff = StaffMemberFactory(agency=world.a.agency, user=user)
    for day in range(rows):
        starts = timezone.now() + timedelta(days=day + 1)
        order = OrderFactory(agency=world.a.agency, branch=world.a.branch, starts_at=starts)
        AssignmentFactory(agency=world.a.agency, order=order, staff=staff)
    AssignmentFactory(agency=world.a.agency)  # someone else's job
    client = client_for(user)
    # session, user, memberships with agency and branch, count,
    # page of assignments joined with order, customer, service and needs form address
    with django_assert_num_queries(5):
        response = client.get(reverse("myjob-list"), HTTP_ACCEPT_LANGUAGE="en")
    assert len(response.json()["results"]) == rows
