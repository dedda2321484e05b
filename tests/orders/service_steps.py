"""Steps of a job on site, shared by the service log, change and acceptance tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from agency.audit import Actor
from agency.models import AuditLog, Role
from orders.models import (
    AcceptanceRound,
    ChangeRequest,
    CustomerSignature,
    FailedItem,
    Order,
    OrderEvent,
    ServiceLogEntry,
    Signoff,
)
from orders.service.services.service_log import (
    log_check_in,
    log_check_out,
    log_note,
    log_preparation,
    log_task,
)
from tests.uploads import photo

#: The customer behind a signed link: no login.
CUSTOMER = Actor(user=None, ip_address="198.51.100.7")


def serve(job: Any) -> None:
    """Preparation, check-in, the tasks and a photo, check-out: the order awaits inspection."""
    for line in job.order.service_type.preparation_checklist:
        log_preparation(assignment=job.lead, actor=job.lead_actor, item=line)
    log_check_in(assignment=job.lead, actor=job.lead_actor)
    log_check_in(assignment=job.member, actor=job.member_actor)
    for task in job.order.needs_form.checklist:
        log_task(assignment=job.member, actor=job.member_actor, item=task)
    log_note(assignment=job.lead, actor=job.lead_actor, text="厨房完工", photo=photo("kitchen.png"))
    log_check_out(assignment=job.member, actor=job.member_actor)
    log_check_out(assignment=job.lead, actor=job.lead_actor)


def supervisors(world: Any) -> tuple[Actor, Actor]:
    """A team supervisor and an office supervisor: two different people of agency A."""
    return (
        Actor(user=world.a.user(Role.SUPERVISOR), ip_address="192.0.2.30"),
        Actor(user=world.a.user(Role.MANAGER), ip_address="192.0.2.31"),
    )


def _written() -> dict[str, object]:
    """Every row a service of the job could add, and every field it could change."""
    return {
        "log": ServiceLogEntry.objects.count(),
        "signoffs": Signoff.objects.count(),
        "signatures": CustomerSignature.objects.count(),
        "events": OrderEvent.objects.count(),
        "audit": AuditLog.objects.count(),
        "orders": list(Order.objects.order_by("pk").values_list("pk", "status")),
        "rounds": list(
            AcceptanceRound.objects.order_by("pk").values_list(
                "pk", "outcome", "next_stage", "closed_at"
            )
        ),
        "failed_items": list(
            FailedItem.objects.order_by("pk").values_list(
                "pk", "responsible_id", "reworked_at", "reworked_by_id"
            )
        ),
        "changes": list(
            ChangeRequest.objects.order_by("pk").values_list(
                "pk", "status", "signature_id", "decided_at"
            )
        ),
    }


@contextmanager
def nothing_written() -> Iterator[None]:
    """A refusal writes nothing: no row added, no status, round, item or change moved.

    Use it outside `pytest.raises`, so it compares after the refusal was caught.
    """
    before = _written()
    yield
    assert _written() == before
