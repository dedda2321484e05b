"""Rendering one invoice PDF: `orders.billing.documents.invoice_pdf`, median and p95 of N runs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench uv run python -m bench.invoice_pdf

Creates (once; `--fresh` deletes and creates it again) an agency
`bench-invoice` with its letterhead (legal name, address, phone, tax number,
bank account, a 6% tax rate and a logo) and one issued invoice to a
Chinese-speaking customer with ten lines: eight visits of a plan, an approved
change and a manager's adjustment, part of it paid. Then renders that
invoice's PDF, in Chinese, `--runs` times (one more first, which loads the
fonts and is not counted) and the receipt of its payment as often, each time
next to a one-line PDF (the floor, bench/measure.py).
Target: well under a second.
Writes rows directly (not the services): the same document, however often it runs.
"""

import argparse
import io
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from PIL import Image

from agency.models import Agency, AuditLog, Branch, Membership, Role, User
from bench.measure import Result, analyze, one_line_pdf, paired, queries_of, report
from orders.billing.documents import invoice_pdf, receipt_pdf
from orders.models import (
    Customer,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    Payment,
    PaymentMethod,
    PricingUnit,
)

SLUG = "bench-invoice"
RUNS = 30
UNUSABLE = make_password(None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fresh", action="store_true", help="delete the agency and create again")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if args.fresh:
        drop_agency()
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    """The invoice and the receipt, each next to a one-line PDF (the WeasyPrint floor);
    a first render, which loads the fonts, is not counted (bench/pdf_start.py times it)."""
    call_command("migrate", verbosity=0)
    if not Agency.objects.filter(slug=SLUG).exists():
        make_agency()
        analyze()
        print(f"{SLUG}: created")
    agency = Agency.objects.get(slug=SLUG)
    agency.logo.save("bench-logo.png", ContentFile(logo_png()), save=True)
    invoice = Invoice.objects.get(agency=agency)
    payment = Payment.objects.get(agency=agency)
    rows = []
    for label, render in (
        (f"invoice PDF {invoice.number} (10 lines)", lambda: invoice_pdf(invoice)),
        (f"receipt PDF {payment.receipt_number}", lambda: receipt_pdf(payment)),
    ):
        value, floor = paired(render, one_line_pdf, runs=runs)
        rows.append(Result(label, value, floor, queries_of(render), max_ms=1000))
    return rows


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (360, 120), (200, 60, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def drop_agency() -> None:
    agencies = Agency.objects.filter(slug=SLUG)
    with transaction.atomic():
        for model in (Payment, InvoiceLine, Invoice, Customer, Membership, AuditLog, Branch):
            model.objects.filter(agency__in=agencies).delete()
        agencies.delete()
        User.objects.filter(username__startswith=SLUG).delete()


@transaction.atomic
def make_agency() -> None:
    agency = Agency.objects.create(
        slug=SLUG,
        name="Bench 家政",
        legal_name="北京基准家政服务有限公司",
        address="北京市朝阳区建国路 88 号 SOHO 现代城 5 号楼 1203 室",
        phone="010-8888 6666",
        tax_number="91110105MA01ABCD2X",
        bank_account="招商银行北京分行建国路支行 1109 0000 0000 8888",
        tax_rate_percent=Decimal("6.00"),
    )
    branch = Branch.objects.create(agency=agency, name="朝阳门店", code="cy")
    manager, finance = User.objects.bulk_create(
        User(username=f"{SLUG}-{role}", first_name=name, password=UNUSABLE)
        for role, name in (("manager", "李经理"), ("finance", "赵会计"))
    )
    Membership.objects.bulk_create(
        [
            Membership(agency=agency, user=manager, role=Role.MANAGER),
            Membership(agency=agency, user=finance, role=Role.FINANCE),
        ]
    )
    customer = Customer.objects.create(
        agency=agency, name="王芳", phone="13800138000", preferred_language="zh-hans"
    )
    now = timezone.now()
    invoice = Invoice.objects.create(
        agency=agency,
        customer=customer,
        branch=branch,
        currency=agency.currency,
        tax_rate_percent=agency.tax_rate_percent,
        language="zh-hans",
        number=f"{now.year}-000001",
        status=InvoiceStatus.ISSUED,
        issued_at=now,
        issued_by=finance,
        due_on=agency.local_date(now) + timedelta(days=agency.payment_terms_days),
    )
    lines = [
        InvoiceLine(
            agency=agency,
            invoice=invoice,
            kind=LineKind.SERVICE,
            description=f"B-{visit:05d} 家庭保洁（每周二上午，厨房、卫生间、客厅）",
            quantity=Decimal("3.00"),
            unit=PricingUnit.HOUR,
            unit_price=Decimal("50.00"),
            amount=Decimal("150.00"),
        )
        for visit in range(1, 9)
    ]
    lines.append(
        InvoiceLine(
            agency=agency,
            invoice=invoice,
            kind=LineKind.CHANGE,
            description="B-00008 加做阳台 1 小时",
            quantity=Decimal("1.00"),
            unit=PricingUnit.HOUR,
            unit_price=Decimal("50.00"),
            amount=Decimal("50.00"),
        )
    )
    lines.append(
        InvoiceLine(
            agency=agency,
            invoice=invoice,
            kind=LineKind.ADJUSTMENT,
            description="调整：老客户优惠",
            quantity=Decimal("1.00"),
            unit_price=Decimal("-40.00"),
            amount=Decimal("-40.00"),
            reason="老客户优惠",
            approved_by=manager,
        )
    )
    InvoiceLine.objects.bulk_create(lines)
    invoice.subtotal = sum((line.amount for line in lines), Decimal(0))
    invoice.tax = (invoice.subtotal * invoice.tax_rate_percent / 100).quantize(Decimal("0.01"))
    invoice.total = invoice.subtotal + invoice.tax
    invoice.paid = Decimal("500.00")
    invoice.save()
    Payment.objects.create(
        agency=agency,
        invoice=invoice,
        amount=invoice.paid,
        method=PaymentMethod.WECHAT_PAY,
        received_at=now,
        reference="4200001234202603100001",
        taken_by=finance,
        receipt_number=f"{now.year}-R000001",
    )


if __name__ == "__main__":
    main()
