"""What the office hears, in the app: the customer signed (to the dispatchers of the
order's branch), an acceptance stage waits (to the supervisors who may sign it) — never
another branch's or another agency's people, and each event once."""

import pytest
from django.test import Client
from django.urls import reverse

from agency.audit import Actor
from agency.models import Notification, OutboundMessage, Role
from orders import announcements, links
from orders.models import SignaturePurpose, SignedVia, Stage
from orders.service.services.acceptance import acceptance_sign_lead, acceptance_sign_supervisor
from tests.factories import BranchFactory, MembershipFactory
from tests.orders.conftest import book, cleaning, dispatcher, team_job  # noqa: F401
from tests.orders.service_steps import serve
from tests.orders.test_api_service import up_to_customer
from tests.orders.test_matching import confirm


@pytest.fixture(autouse=True)
def _english_agency(world):
    """The office reads English here (their language is the agency's), so texts compare."""
    world.a.agency.default_language = "en"
    world.a.agency.save(update_fields=["default_language"])


@pytest.fixture
def elsewhere(world):
    """A dispatcher and a supervisor of another branch of agency A."""
    branch = BranchFactory(agency=world.a.agency)
    return [
        MembershipFactory(agency=world.a.agency, role=role, branch=branch).user
        for role in (Role.DISPATCHER, Role.SUPERVISOR)
    ]


SIGNED = "order.customer_signed:office"


def told(code: str) -> list[tuple[int, str]]:
    """(user, link) of the in-app notices of the rule `code`."""
    notices = Notification.objects.filter(key__contains=code).order_by("user_id")
    return list(notices.values_list("user_id", "link"))


def test_the_branch_dispatchers_hear_that_the_customer_signed_the_quote(
    world,
    book,  # noqa: F811
    elsewhere,
):
    order = book()
    url = links.link_path(
        order=order, purpose=SignaturePurpose.CONFIRM_ORDER, ref=order.quotes.get().pk
    )
    page = Client().post(url, {"signed_name": "王芳", "agree": "on"})
    assert page.status_code == 200, page.content.decode()[:500]
    signature = order.signatures.get()
    assert signature.via == SignedVia.LINK

    detail = reverse("order_detail", kwargs={"pk": order.pk})
    assert told(SIGNED) == [(world.a.user(Role.DISPATCHER).pk, detail)]
    notice = Notification.objects.get(key__contains=SIGNED)
    assert order.number in notice.title and "Confirmation of the needs form" in notice.body
    # The office's words are not texted or emailed: office members have no outbox rows.
    assert not OutboundMessage.objects.filter(rule="order.customer_signed:office").exists()
    # Announced again (a retried request): nothing new.
    announcements.customer_signed(order, signature=signature)
    assert Notification.objects.filter(key__contains=SIGNED).count() == 1


def test_the_office_signing_in_the_customers_place_tells_nobody(
    world,
    book,  # noqa: F811
    dispatcher,  # noqa: F811
):
    order = confirm(book(), dispatcher)
    assert order.signatures.get().via == SignedVia.OFFICE
    assert told(SIGNED) == []


def test_the_customers_acceptance_signature_is_told_to_the_dispatchers(
    world,
    team_job,  # noqa: F811
    elsewhere,
):
    up_to_customer(world, team_job)
    url = links.link_path(order=team_job.order, purpose=SignaturePurpose.ACCEPT_SERVICE, ref=1)
    signed = Client().post(url, {"verdict": "pass", "score": "5", "signed_name": "王芳"})
    assert signed.status_code == 200
    [(user, _link)] = told(SIGNED)
    assert user == world.a.user(Role.DISPATCHER).pk
    assert "Acceptance of the service" in Notification.objects.get(user_id=user).body


def test_each_supervisor_stage_is_told_to_the_supervisors_who_may_sign_it(
    world,
    team_job,  # noqa: F811
    elsewhere,
):
    second = MembershipFactory(agency=world.a.agency, role=Role.SUPERVISOR).user
    first = world.a.user(Role.SUPERVISOR)
    serve(team_job)
    acceptance_sign_lead(assignment=team_job.lead, actor=team_job.lead_actor, passed=True)
    page = reverse("order_acceptance", kwargs={"pk": team_job.order.pk})
    notices = Notification.objects.filter(key__contains="acceptance.stage:office")
    stage_2 = list(notices.order_by("user_id").values_list("user_id", "link", "body"))
    assert [(user, link) for user, link, _body in stage_2] == [
        (first.pk, page),
        (second.pk, page),
    ]
    assert all(str(Stage.TEAM_SUPERVISOR.label) in body for *_rest, body in stage_2)

    acceptance_sign_supervisor(
        order=team_job.order, stage=Stage.TEAM_SUPERVISOR, actor=Actor(user=first), passed=True
    )
    stage_3 = notices.filter(body__contains=str(Stage.OFFICE_SUPERVISOR.label))
    # The office stage is someone else's than the team supervisor's who just signed.
    assert list(stage_3.values_list("user_id", flat=True)) == [second.pk]
    # Nobody of another branch or agency, and no manager (not the rule's role).
    everyone = set(Notification.objects.values_list("user_id", flat=True))
    strangers = (
        {user.pk for user in elsewhere}
        | {world.b.user(role).pk for role in Role}
        | {world.a.user(Role.MANAGER).pk}
    )
    assert not everyone & strangers
