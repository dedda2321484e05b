"""The office's acceptance pages, the customer's links and the acceptance record PDF."""

import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agency.audit import Actor
from agency.models import Document, Role
from orders import links
from orders.models import (
    ChangeStatus,
    OrderStatus,
    SignaturePurpose,
    SignedVia,
    Signoff,
    Stage,
)
from orders.service.services.acceptance import acceptance_sign_lead, acceptance_sign_supervisor
from orders.service.services.changes import change_request_create
from orders.service.services.service_log import log_note
from tests.factories import AcceptanceRoundFactory, FailedItemFactory
from tests.orders.service_steps import serve


def link_for(order, purpose, ref):
    return links.link_path(order=order, purpose=purpose, ref=ref)


def through_office_supervisor(world, job):
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    team = Actor(user=world.a.user(Role.SUPERVISOR))
    office = Actor(user=world.a.user(Role.MANAGER))
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=team, passed=True
    )
    acceptance_sign_supervisor(
        order=job.order, stage=Stage.OFFICE_SUPERVISOR, actor=office, passed=True
    )


def test_supervisors_sign_from_the_queue_and_the_order_page(world, team_job, client_for):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    supervisor = client_for(world.a.user(Role.SUPERVISOR))
    queue = supervisor.get(reverse("acceptance_queue"))
    assert [r.order_id for r in queue.context["rounds"]] == [job.order.pk]

    sign = reverse("order_acceptance_sign", kwargs={"pk": job.order.pk})
    refused = supervisor.post(sign, {"stage": 2, "verdict": "fail"})
    assert refused.status_code == 400
    assert "failed_other" in refused.context["sign_form"].errors
    assert not Signoff.objects.filter(stage=Stage.TEAM_SUPERVISOR).exists()

    supervisor.post(sign, {"stage": 2, "verdict": "pass"})
    manager = client_for(world.a.user(Role.MANAGER))
    response = manager.post(
        sign,
        {"stage": 3, "verdict": "fail", "failed_checklist": ["卫生间"], "failed_other": "窗台有灰"},
    )
    assert response.status_code == 302
    assert job.reload().status == OrderStatus.REWORK
    page = manager.get(reverse("order_acceptance", kwargs={"pk": job.order.pk}))
    assert [i.description for i in page.context["rework"]] == ["卫生间", "窗台有灰"]

    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    item = page.context["rework"][0]
    dispatcher.post(
        reverse("order_rework_reassign", kwargs={"pk": job.order.pk}),
        {"item": item.pk, "responsible": job.member.staff.pk},
    )
    item.refresh_from_db()
    assert item.responsible == job.member.staff


def test_a_dispatcher_cannot_sign_a_supervisors_stage(world, team_job, client_for):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    dispatcher.post(
        reverse("order_acceptance_sign", kwargs={"pk": job.order.pk}),
        {"stage": 2, "verdict": "pass"},
    )
    assert not Signoff.objects.filter(stage=Stage.TEAM_SUPERVISOR).exists()


def test_the_customer_fails_then_passes_by_link_and_a_spent_link_says_so(
    world, team_job, client, sms_outbox
):
    job = team_job
    through_office_supervisor(world, job)
    url = link_for(job.order, SignaturePurpose.ACCEPT_SERVICE, 1)
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["can_sign"] is True
    assert "厨房" in page.content.decode()

    bad = client.post(url, {"verdict": "pass", "score": "6", "signed_name": "王芳"})
    assert bad.status_code == 400
    assert not Signoff.objects.filter(stage=Stage.CUSTOMER).exists()

    failed = client.post(
        url,
        {"verdict": "fail", "failed_checklist": ["客厅"], "score": "2", "signed_name": "王芳"},
    )
    assert failed.status_code == 200
    assert job.reload().status == OrderStatus.REWORK
    again = client.post(url, {"verdict": "pass", "score": "5", "signed_name": "王芳"})
    assert again.status_code == 409
    assert Signoff.objects.filter(stage=Stage.CUSTOMER).count() == 1


def test_the_office_texts_the_acceptance_link(world, team_job, client_for, sms_outbox):
    job = team_job
    through_office_supervisor(world, job)
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    dispatcher.post(reverse("order_acceptance_link", kwargs={"pk": job.order.pk}))
    page = dispatcher.get(reverse("order_acceptance", kwargs={"pk": job.order.pk}))
    assert "/c/" in page.context["customer_link"]


def test_the_customer_approves_a_change_by_link_once(world, team_job, client):
    job = team_job
    serve_until_in_service(job)
    change = change_request_create(
        order=job.order, actor=job.lead_actor, description="加做阳台", quantity=1
    )
    url = link_for(job.order, SignaturePurpose.APPROVE_CHANGE, change.pk)
    assert client.post(url, {"decision": "approve"}).status_code == 400
    assert client.post(url, {"decision": "approve", "signed_name": "王芳"}).status_code == 200
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED
    assert change.signature.via == SignedVia.LINK
    assert client.post(url, {"decision": "decline"}).status_code == 409


def serve_until_in_service(job):
    from orders.service.services.service_log import log_check_in, log_preparation

    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)


def pdf_text(response) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=response.getvalue(), capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.slow
def test_the_manager_downloads_the_acceptance_record_in_chinese(
    world, team_job, client_for, documents
):
    job = team_job
    through_office_supervisor(world, job)
    url = reverse("order_acceptance_pdf", kwargs={"pk": job.order.pk})
    assert client_for(world.a.user(Role.DISPATCHER)).get(url).status_code == 403
    response = documents.fetch(client_for(world.a.user(Role.MANAGER)), url + "?lang=zh-hans")
    assert response["Content-Type"] == "application/pdf"
    assert f"acceptance-{job.order.number}.pdf" in response["Content-Disposition"]
    text = pdf_text(response)
    assert "验收记录" in text
    assert job.order.number in text
    assert "现场负责人" in text or "On-site lead" not in text


@pytest.mark.slow
def test_a_new_sign_off_asks_for_a_new_record_and_an_unchanged_one_is_served_as_built(
    world, team_job, client_for, documents
):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    manager = client_for(world.a.user(Role.MANAGER))
    url = reverse("order_acceptance_pdf", kwargs={"pk": job.order.pk}) + "?lang=en"
    before = pdf_text(documents.fetch(manager, url))

    with CaptureQueriesContext(connection) as one_round:
        again = documents.ask(manager, url)
    assert again.status_code == 200 and documents.sent == []  # nothing new: nothing built

    acceptance_sign_supervisor(
        order=job.order,
        stage=Stage.TEAM_SUPERVISOR,
        actor=Actor(user=world.a.user(Role.SUPERVISOR)),
        passed=True,
    )
    after = pdf_text(documents.fetch(manager, url))
    with CaptureQueriesContext(connection) as more_sign_offs:
        assert documents.ask(manager, url).status_code == 200
    # The version is read in the order's own query: the same count however long the record.
    assert len(more_sign_offs) == len(one_round)
    assert Document.objects.filter(kind="acceptance_record", ref=job.order.pk).count() == 2
    assert "Team supervisor" not in before
    assert "Team supervisor" in after


def test_another_agencys_order_is_not_found(world, team_job, client_for):
    outsider = client_for(world.b.user(Role.MANAGER))
    for name in ("order_acceptance", "order_acceptance_pdf"):
        url = reverse(name, kwargs={"pk": team_job.order.pk})
        assert outsider.get(url).status_code == 404


def test_the_acceptance_queue_runs_the_same_queries_for_one_or_many_rows(world, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    url = reverse("acceptance_queue") + "?stage=2"

    def queries(rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(url)
        assert (len(page.context["rounds"]), len(page.context["rework"])) == (rows, rows)
        return len(captured)

    def add_rows() -> None:
        AcceptanceRoundFactory(agency=world.a.agency, next_stage=Stage.TEAM_SUPERVISOR)
        FailedItemFactory(agency=world.a.agency, signoff__round__order__status=OrderStatus.REWORK)

    add_rows()
    one = queries(1)
    for _ in range(4):
        add_rows()
    assert queries(5) == one


def test_the_queue_opens_a_supervisor_on_the_stage_that_is_theirs(world, team_job, client_for):
    job = team_job
    serve(job)
    acceptance_sign_lead(assignment=job.lead, actor=job.lead_actor, passed=True)
    supervisor, manager = world.a.user(Role.SUPERVISOR), world.a.user(Role.MANAGER)
    assert client_for(supervisor).get(reverse("acceptance_queue")).context["stage"] == 2

    acceptance_sign_supervisor(
        order=job.order, stage=Stage.TEAM_SUPERVISOR, actor=Actor(user=manager), passed=True
    )
    # Nothing waits at stage 2 now; the office stage is the supervisor's to sign.
    assert client_for(supervisor).get(reverse("acceptance_queue")).context["stage"] == 3
    # The manager signed the team stage, so the office stage is someone else's.
    assert client_for(manager).get(reverse("acceptance_queue")).context["stage"] == 2


def test_the_customer_sees_the_photos_and_the_staffs_notes_before_signing(world, team_job, client):
    job = team_job
    through_office_supervisor(world, job)
    log_note(assignment=job.lead, actor=job.lead_actor, text="阳台门锁有点松，已告知客户")
    html = client.get(link_for(job.order, SignaturePurpose.ACCEPT_SERVICE, 1)).content.decode()
    thumbnail = re.search(r'<img class="photo-thumb" src="([^"]+)"', html)
    assert thumbnail and "sig=" in thumbnail.group(1)
    assert client.get(thumbnail.group(1).replace("&amp;", "&")).status_code == 200
    assert "厨房完工" in html and "阳台门锁有点松，已告知客户" in html


def test_the_chinese_service_log_separates_label_and_item_with_a_full_width_colon(
    world, team_job, client_for
):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    serve(team_job)
    page = client_for(world.a.user(Role.MANAGER)).get(
        reverse("order_acceptance", kwargs={"pk": team_job.order.pk})
    )
    html = page.content.decode()
    assert "：厨房" in html and ": 厨房" not in html


def test_the_chinese_timeline_says_the_link_went_by_text_message(world, team_job, client_for):
    world.a.agency.default_language = "zh-hans"
    world.a.agency.save()
    through_office_supervisor(world, team_job)
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    dispatcher.post(reverse("order_acceptance_link", kwargs={"pk": team_job.order.pk}))
    html = dispatcher.get(reverse("order_detail", kwargs={"pk": team_job.order.pk})).content
    assert "短信发至" in html.decode() and "SMS" not in html.decode()
