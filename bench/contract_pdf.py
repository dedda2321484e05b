"""Rendering a placement contract's PDF: `placements.contracts.render_contract_pdf`,
median and p95 of N runs.

    uv run python -m bench.contract_pdf [--runs N]

Renders the default Chinese 三方合同 (parties, every term, two A4 pages with the
"第 N 页 / 共 M 页" footer) of an unsaved contract version — the renderer reads only
the version's snapshot, so no rows are needed — `--runs` times (one more first, which
loads the fonts and is not counted), each time next to a one-line PDF (the floor,
bench/measure.py); then the signed contract, the same with its signature page (three
drawn signatures, times, IP addresses and hashes: `placements.signing.render_final_pdf`'s
template). Target (issue 20): median under 1.5 s, with the signature page.
"""

import argparse
import base64
import hashlib

from agency.models import Agency
from bench.measure import Result, one_line_pdf, paired, queries_of, report
from placements.contracts import render_contract_pdf
from placements.demo import drawn_signature
from placements.models import ContractKind, ContractVersion, Placement
from placements.signing import PNG_DATA_URL, SignatureLine

RUNS = 20

VARIABLES = {
    "agency_name": "Bench 家政",
    "agency_address": "北京市朝阳区建国路 88 号 SOHO 现代城 5 号楼 1203 室",
    "agency_phone": "010-8888 6666",
    "customer_name": "王芳",
    "customer_phone": "13800138000",
    "customer_address": "朝阳区 建国路 88 号 3 单元 501",
    "staff_name": "李秀兰",
    "staff_phone": "13900139000",
    "staff_id_number": "110101198501011234",
    "service": "月嫂",
    "order_number": "2026-000001",
    "starts_on": "2026年12月15日",
    "ends_on": "2027年1月9日",
    "days": "26",
    "trial_days": "3",
    "price": "¥16,800.00",
    "price_period": "整个服务期",
    "wage": "¥12,000.00",
    "wage_paid_by": "由公司代发",
    "service_fee": "¥2,800.00",
    "deposit": "¥2,000.00",
    "days_off_per_month": "0",
    "free_replacements": "2",
    "renewal_terms": "期满前双方协商续约，价格按届时标准。",
    "today": "2026年12月9日",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    for result in results(args.runs):
        report(result)


def results(runs: int = RUNS) -> list[Result]:
    version = ContractVersion(
        placement=Placement(agency=Agency(name=VARIABLES["agency_name"])),
        number=1,
        kind=ContractKind.ORIGINAL,
        language="zh-hans",
        terms={"variables": VARIABLES},
    )

    def render() -> None:
        render_contract_pdf(version, agency_copy=False)

    signatures: dict[str, object] = {"signatures": _signature_lines()}

    def render_signed() -> None:
        render_contract_pdf(
            version,
            agency_copy=False,
            template="placements/signing/final_pdf.html",
            extra=signatures,
        )

    value, floor = paired(render, one_line_pdf, runs=runs)
    signed, signed_floor = paired(render_signed, one_line_pdf, runs=runs)
    return [
        Result("contract PDF (default 三方合同)", value, floor, queries_of(render), max_ms=1500),
        Result(
            "signed contract PDF (with the signature page)",
            signed,
            signed_floor,
            queries_of(render_signed),
            max_ms=1500,
        ),
    ]


def _signature_lines() -> list[SignatureLine]:
    sha256 = hashlib.sha256(b"the contract").hexdigest()
    return [
        SignatureLine(
            party=party,
            role=role,
            name=name,
            signed_at=f"2026年12月9日 10:0{seed} (Asia/Shanghai)",
            ip_address=f"192.0.2.{10 + seed}",
            document_sha256=sha256,
            image=PNG_DATA_URL + base64.b64encode(drawn_signature(seed=seed)).decode(),
        )
        for seed, (party, role, name) in enumerate(
            [
                ("customer", "客户", VARIABLES["customer_name"]),
                ("staff", "服务人员", VARIABLES["staff_name"]),
                ("agency", "家政公司", VARIABLES["agency_name"]),
            ]
        )
    ]


if __name__ == "__main__":
    main()
