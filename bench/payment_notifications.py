"""Online payment: 1,000 signed provider notifications processed, then all 1,000 replayed.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/hearth_bench
    uv run python -m bench.payment_notifications [--workers N]

Creates (once) the agency `bench-pay` with a customer and its WeChat Pay and Alipay
accounts, keyed by a fake provider server started in this process
(orders.payments.fake_provider, on 127.0.0.1; the keys are made anew each run and the
accounts saved with them). Each run issues 1,000 invoices with a checkout each (half WeChat
Pay, half Alipay; bulk_create: load, not real orders), signs one notification per checkout
as the provider would, and hands each to `notification_receive` as the endpoint does (the
signature verified, the WeChat resource decrypted, the payment and its receipt recorded).
Then every notification again: nothing may be added. The after-commit Celery messages are
not sent (no broker needed).

The providers send their notifications as payments happen, many at once, and the web tier
answers them with its workers (gunicorn's processes): `--workers` processes (one per core by
default; forked, each with its own connection, warmed as a serving worker is) take the
notifications in turns. `--workers 1` is one process answering them one after another.
Every payment of an agency takes the next receipt number from one counter row, locked until
its transaction ends: more workers than cores only wait on it and on each other.
Targets (issue 18): 1,000 notifications in under 10 s, exactly 1,000 payments; the replay
adds none.
"""

import argparse
import functools
import multiprocessing
import os
import uuid
from decimal import Decimal
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from agency.models import Agency, Branch
from bench.measure import Result, Timing, analyze, elapsed_ms, report, round_trips
from orders.models import Customer, Invoice, InvoiceStatus, Payment
from orders.payments.accounts import provider_for
from orders.payments.fake_provider import FakeProviders, Trade
from orders.payments.models import Checkout, ProviderAccount
from orders.payments.secrets import seal
from orders.payments.services import notification_receive

SLUG = "bench-pay"
COUNT = 1_000
RUNS = 1
#: One per core, as the web tier serves them (a process per core for CPU-bound Python).
WORKERS = os.cpu_count() or 2

Notice = tuple[str, dict[str, str], bytes]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--workers", type=int, default=WORKERS)
    args = parser.parse_args()
    for result in results(args.runs, workers=args.workers):
        report(result)


def results(runs: int = RUNS, *, workers: int = WORKERS) -> list[Result]:
    call_command("migrate", verbosity=0)
    fake = FakeProviders().start()
    settings.WECHATPAY_GATEWAY = fake.wechat_gateway
    settings.ALIPAY_GATEWAY = fake.alipay_gateway
    agency, customer, branch = bench_agency()
    configure(agency, fake)
    firsts, replays, floors = [], [], []
    added = 0
    try:
        with mock.patch("agency.queueing.current_app"):
            for _ in range(runs):
                notices = notifications(fake, agency, customer, branch)
                analyze()
                before = Payment.objects.filter(agency=agency).count()
                # Forked workers must not share the parent's connection.
                connections.close_all()
                with multiprocessing.get_context("fork").Pool(
                    workers, initializer=warm, initargs=(agency.pk,)
                ) as pool:
                    process = functools.partial(receive_in, pool, agency, notices, workers)
                    firsts.append(elapsed_ms(process))
                    paid = Payment.objects.filter(agency=agency).count() - before
                    replays.append(elapsed_ms(process))
                added += Payment.objects.filter(agency=agency).count() - before - paid
                if paid != COUNT:
                    raise SystemExit(f"{paid} payments recorded for {COUNT} notifications")
                floors.append(elapsed_ms(round_trips(COUNT)))
    finally:
        fake.stop()
    if added:
        raise SystemExit(f"the replay added {added} payments")
    return [
        Result(
            f"{COUNT:,} payment notifications (WeChat Pay and Alipay), each a payment, "
            f"{workers} workers",
            Timing(firsts),
            Timing(floors),
            max_ms=10_000,
            in_seconds=True,
        ),
        Result(
            f"the same {COUNT:,} notifications replayed: none added, {workers} workers",
            Timing(replays),
            Timing(floors),
            max_ms=10_000,
            in_seconds=True,
        ),
    ]


def bench_agency() -> tuple[Agency, Customer, Branch]:
    agency, _ = Agency.objects.get_or_create(slug=SLUG, defaults={"name": "Bench 在线支付"})
    branch, _ = Branch.objects.get_or_create(agency=agency, name="总店")
    customer = Customer.objects.filter(agency=agency).first() or Customer.objects.create(
        agency=agency, name="王女士", phone="+8613800000000"
    )
    return agency, customer, branch


def configure(agency: Agency, fake: FakeProviders) -> None:
    """The accounts, sealed as `account_save` seals them, with this run's fake keys."""
    for provider in ("wechat", "alipay"):
        values = fake.account_values(provider)
        private_key, api_key = values.pop("private_key"), values.pop("api_key")
        ProviderAccount.objects.update_or_create(
            agency=agency,
            provider=provider,
            defaults={
                **values,
                "private_key_encrypted": seal(private_key),
                "api_key_encrypted": seal(api_key) if api_key else "",
                "is_active": True,
            },
        )


def notifications(
    fake: FakeProviders, agency: Agency, customer: Customer, branch: Branch
) -> list[Notice]:
    """COUNT issued invoices, a checkout each, and each checkout's signed notification."""
    now = timezone.now()
    run = uuid.uuid4().hex[:8]
    invoices = Invoice.objects.bulk_create(
        Invoice(
            agency=agency,
            customer=customer,
            branch=branch,
            currency="CNY",
            tax_rate_percent=Decimal(0),
            subtotal=Decimal("150.00"),
            total=Decimal("150.00"),
            language="zh-hans",
            status=InvoiceStatus.ISSUED,
            number=f"B{run}-{n:05d}",
            issued_at=now,
        )
        for n in range(COUNT)
    )
    checkouts = Checkout.objects.bulk_create(
        Checkout(
            agency=agency,
            invoice=invoice,
            provider="wechat" if n % 2 else "alipay",
            channel="native",
            out_trade_no=uuid.uuid4().hex,
            amount=invoice.total,
            currency="CNY",
            code_url="weixin://wxpay/bizpayurl?pr=bench",
        )
        for n, invoice in enumerate(invoices)
    )
    notices = []
    for checkout in checkouts:
        fake.trades[checkout.out_trade_no] = Trade(
            checkout.provider, checkout.out_trade_no, checkout.amount
        )
        sign = (
            fake.wechat_notification if checkout.provider == "wechat" else fake.alipay_notification
        )
        headers, body = sign(checkout.out_trade_no)
        notices.append((checkout.provider, headers, body))
    return notices


def warm(agency_id: int) -> None:
    """A serving worker's state: its own connection open, the accounts' clients loaded."""
    for account in ProviderAccount.objects.filter(agency_id=agency_id):
        provider_for(account)


def receive_in(pool: Any, agency: Agency, notices: list[Notice], workers: int) -> None:
    """Every notice answered by the pool's workers, each taking every `workers`-th one."""
    pool.starmap(receive_all, [(agency.slug, notices[n::workers]) for n in range(workers)])


def receive_all(agency_slug: str, notices: list[Notice]) -> None:
    for provider, headers, body in notices:
        answer = notification_receive(
            agency_slug=agency_slug, provider=provider, headers=headers, body=body
        )
        if answer.status >= 300 or answer.body == "fail":
            raise RuntimeError(f"refused: {answer.body}")  # a pool worker passes it on


if __name__ == "__main__":
    main()
