"""Demo placements for `manage.py seed_demo` (issue 20), through the services: the orders
demo's 26-day 月嫂 booking becomes a placement whose terms the dispatcher agreed with the
family — a term price, the staff member's wage paid through the agency, a deposit, a
three-day trial and two free replacements."""

from decimal import Decimal

from django.utils import translation

from agency.audit import Actor
from agency.demo import in_language
from agency.models import Agency, User
from orders.models import Order
from placements.models import Placement, PricePeriod, WagePayer
from placements.terms import Terms, placement_open, placement_terms_save


def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        with translation.override(agency.default_language):
            _placement(agency)


def _placement(agency: Agency) -> None:
    order = (
        Order.objects.filter(agency=agency, service_type__code="yuesao")
        .select_related("service_type", "needs_form", "agency")
        .order_by("starts_at")
        .first()
    )
    if order is None or Placement.objects.filter(order=order).exists():
        return
    dispatcher = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    placement = placement_open(order=order, actor=dispatcher)
    placement_terms_save(
        placement=placement,
        actor=dispatcher,
        terms=Terms(
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
        ),
    )
