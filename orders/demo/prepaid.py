"""Demo prepaid products and cards (issue 18): a stored-value card and a cleaning package
on sale; 孙丽 bought a card and paid her late-cancellation fee from it, and two other
customers hold a package and a card not used yet. Products are brought to the same state
on every run; cards are sold (through the real services) only for an agency that has none
yet."""

from decimal import Decimal

from agency.audit import Actor
from agency.models import Agency, User
from orders.models import (
    Customer,
    Invoice,
    InvoiceKind,
    InvoiceStatus,
    PaymentMethod,
    PrepaidCard,
    PrepaidProduct,
    ProductKind,
    ServiceType,
)
from orders.prepaid.services import card_pay, card_sell


def seed_prepaid(agency: Agency, cleaning: ServiceType) -> None:
    stored, package = _products(agency, cleaning)
    if PrepaidCard.objects.filter(agency=agency).exists():
        return
    desk = Actor(user=User.objects.get(username=f"{agency.slug}.dispatcher"))
    finance = Actor(user=User.objects.get(username=f"{agency.slug}.finance"))
    # The late-cancellation fee's invoice is open: its customer pays it from a new card.
    fee = (
        Invoice.objects.filter(agency=agency, kind=InvoiceKind.INVOICE, status=InvoiceStatus.ISSUED)
        .select_related("customer")
        .order_by("pk")
        .first()
    )
    if fee is not None:
        card = card_sell(
            customer=fee.customer,
            product=stored,
            actor=desk,
            method=PaymentMethod.WECHAT_PAY,
            reference="4200002026120312345678",
        )
        card_pay(card=card, invoice=fee, actor=finance)
    others = Customer.objects.filter(agency=agency).exclude(prepaid_cards__isnull=False)
    for customer, product in zip(others.order_by("pk")[:2], (package, stored), strict=False):
        card_sell(customer=customer, product=product, actor=desk, method=PaymentMethod.CASH)


def _products(agency: Agency, cleaning: ServiceType) -> tuple[PrepaidProduct, PrepaidProduct]:
    stored, _ = PrepaidProduct.objects.update_or_create(
        agency=agency,
        name_zh="储值卡 充2000送200",
        defaults={
            "kind": ProductKind.STORED_VALUE,
            "name_en": "Stored-value card 2,000 + 200",
            "price": Decimal("2000.00"),
            "credit": Decimal("2200.00"),
            "validity_days": 365,
            "refund_fee_percent": Decimal("0"),
        },
    )
    package, _ = PrepaidProduct.objects.update_or_create(
        agency=agency,
        name_zh="日常保洁套餐 10次×3小时",
        defaults={
            "kind": ProductKind.PACKAGE,
            "name_en": "Cleaning package 10 × 3 h",
            "price": Decimal("1350.00"),
            "service_type": cleaning,
            "visits": 10,
            "hours_per_visit": Decimal("3.0"),
            "validity_days": 180,
            "refund_fee_percent": Decimal("5"),
        },
    )
    return stored, package
