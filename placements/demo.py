"""Demo placements for `manage.py seed_demo` (issue 20), through the services.

In each agency: the orders demo's 26-day 月嫂 booking is a placement whose terms the
dispatcher agreed with the family (a term price, the wage paid through the agency, a
deposit, a three-day trial, two free replacements), waiting for its staff member; and a
月嫂 who began this morning at 何雪's home, on a contract the three parties
signed by drawing, after her briefing, whose family asked to renew (out for signature)."""

import io
import math
from dataclasses import replace
from datetime import time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image, ImageDraw

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, Branch, User
from orders.demo.words import say
from orders.intake.services.booking import CustomerInput, NeedsInput, order_confirm, order_intake
from orders.models import Order, ScheduleKind, ServiceType, SignedVia
from orders.staffing.matching import explain_exclusion
from orders.staffing.services import VIA_PHONE, assignment_confirm, assignment_propose
from placements.amendments import contract_amend
from placements.contracts import contract_prepare
from placements.during import briefing_items, briefing_record, placement_start
from placements.models import ContractKind, Placement, PricePeriod, WagePayer
from placements.signing import contract_sign
from placements.terms import Terms, placement_open, placement_terms_save
from staff.models import StaffMember


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        with translation.override(agency.default_language):
            _placement(agency)
            _active_placement(agency, ServiceType.objects.get(agency=agency, code="yuesao"))


def _placement(agency: Agency) -> None:
    order = (
        Order.objects.filter(agency=agency, service_type__code="yuesao", placement__isnull=True)
        .select_related("service_type", "needs_form", "agency")
        .order_by("starts_at")
        .first()
    )
    if order is None:
        return
    dispatcher = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    placement = placement_open(order=order, actor=dispatcher)
    placement_terms_save(placement=placement, actor=dispatcher, terms=_terms(agency, placement))


def _terms(agency: Agency, placement: Placement) -> Terms:
    return Terms(
        starts_on=placement.starts_on,
        ends_on=placement.ends_on,
        trial_days=3,
        price=Decimal("16800.00"),
        price_period=PricePeriod.TERM,
        wage=Decimal("11500.00"),
        wage_paid_by=WagePayer.AGENCY,
        service_fee=Decimal("2800.00"),
        deposit=Decimal("2000.00"),
        days_off_per_month=0,
        free_replacements=2,
        renewal_terms=in_language(
            agency,
            "合同期满前30天双方协商续约；续约按届时价格另签补充协议。",
            "Renewal is agreed 30 days before the end; a renewal is signed as an "
            "amendment at the prices then in force.",
        ),
    )


def _active_placement(agency: Agency, service: ServiceType) -> None:
    """A 月嫂 who came to 何雪's home this morning: the contract signed by the three parties,
    the briefing ticked with her, the placement started (its trial and check-ins ahead)."""
    customer_name = in_language(agency, "何雪", "Xue He")
    if Order.objects.filter(agency=agency, customer__name=customer_name).exists():
        return
    office = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    supervisor = Actor(user=User.objects.get(username=f"{agency.slug}.supervisor"))
    manager = Actor(user=User.objects.get(username=f"{agency.slug}.manager"))
    order = order_intake(
        agency=agency,
        actor=office,
        branch=Branch.objects.filter(agency=agency).order_by("code")[0],
        customer=CustomerInput(
            name=customer_name,
            phone="13800138051",
            district=say(agency, "朝阳区"),
            address=in_language(agency, "亮马桥路 12 号 3 单元 1101", "Flat 1101, 12 Biyun Road"),
        ),
        needs=NeedsInput(
            service_type=service,
            start_date=agency.today(),
            schedule_kind=ScheduleKind.LIVE_IN,
            days=26,
            time_start=time(8),
            time_end=time(20),
        ),
    )
    order_confirm(
        order=order,
        quote_id=order.quotes.get().pk,
        signed_name=customer_name,
        via=SignedVia.LINK,
        actor=office,
    )
    carer = next(
        (
            staff
            for staff in StaffMember.objects.filter(agency=agency, accepts_live_in=True).order_by(
                "pk"
            )
            if not explain_exclusion(order=order, staff=staff)
        ),
        None,
    )
    if carer is None:
        return
    assignment_propose(order=order, staff_list=[carer], actor=office)
    assignment_confirm(order=order, via=VIA_PHONE, actor=office)
    placement = placement_open(order=order, actor=office)
    placement_terms_save(placement=placement, actor=office, terms=_terms(agency, placement))
    version = contract_prepare(placement=placement, actor=office, language=agency.default_language)
    for party, actor in (("customer", None), ("staff", None), ("agency", manager)):
        contract_sign(
            version=version,
            party=party,
            image_bytes=drawn_signature(seed=len(party)),
            document_sha256=version.document_sha256,
            ip="192.0.2.10",
            actor=actor,
        )
    placement.refresh_from_db()
    briefing_record(
        placement=placement,
        actor=supervisor,
        ticked=list(briefing_items(agency)),
        staff_present=True,
    )
    placement_start(placement=placement, actor=supervisor)
    _renewal_asked(agency, placement, office)


def _renewal_asked(agency: Agency, placement: Placement, office: Actor) -> None:
    """The family asked for 26 more days: the renewal is out, waiting for their signature."""
    longer = replace(Terms.of(placement), ends_on=placement.ends_on + timedelta(days=26))
    reason = in_language(agency, "客户希望月嫂续约 26 天", "The family asked for 26 more days")
    try:
        contract_amend(
            placement=placement,
            actor=office,
            terms=longer,
            reason=reason,
            kind=ContractKind.RENEWAL,
        )
    except ValidationError:  # another job of hers leaves no room: the demo goes without
        return


def drawn_signature(*, seed: int) -> bytes:
    """A pen stroke as a signature pad would send it (PNG, transparent)."""
    image = Image.new("RGBA", (360, 120), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    points = [(20 + x * 8, 60 + int(30 * math.sin((x + seed) / 3))) for x in range(40)]
    pen.line(points, fill=(20, 30, 60, 255), width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
