"""Signing a placement contract (issue 20): the customer and the staff member by their
links, the agency by a manager; the hash check, expired links, signing twice; the final
PDF with its signature page, the placement signed and its deposit billed; amendments."""

import base64
import hashlib
import io
import subprocess
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from agency.errors import StateConflict
from agency.models import OutboundMessage, Role
from orders.billing.models import Invoice
from placements.amendments import contract_amend
from placements.models import (
    ContractSignature,
    ContractStatus,
    Placement,
    PlacementStatus,
    SigningParty,
)
from placements.signing import contract_sign, contract_sign_by_link
from placements.signing_links import LinkExpired, signing_link_path
from placements.terms import Terms
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db


def drawn() -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (120, 20), (290, 70)], fill="black", width=4)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def by_link(version, party, *, sha=None, image=None):
    return contract_sign_by_link(
        token=token_of(signing_link_path(version, party)),
        image_bytes=image or drawn(),
        document_sha256=sha or version.document_sha256,
        ip="203.0.113.7",
    )


def by_manager(world, version):
    return contract_sign(
        version=version,
        party=SigningParty.AGENCY,
        image_bytes=drawn(),
        document_sha256=version.document_sha256,
        ip="198.51.100.2",
        actor=member(world, Role.MANAGER),
    )


def test_the_links_go_to_the_customer_and_the_staff_member(version):
    sent = OutboundMessage.objects.filter(rule__startswith="placement.contract_to_sign:")
    assert sorted(message.rule for message in sent) == [
        "placement.contract_to_sign:customer",
        "placement.contract_to_sign:staff",
    ]
    assert all("/s/" in message.body for message in sent)


def test_each_party_signs_once_and_signing_again_answers_the_first(world, version):
    customer = by_link(version, SigningParty.CUSTOMER)
    staff = by_link(version, SigningParty.STAFF)
    assert (customer.party, str(customer.ip_address)) == ("customer", "203.0.113.7")
    assert customer.image.name.endswith(".png")
    assert customer.document_sha256 == version.document_sha256
    assert staff.signed_by is None
    assert by_link(version, SigningParty.CUSTOMER).pk == customer.pk
    agency = by_manager(world, version)
    assert agency.signed_by == world.a.user(Role.MANAGER)


def test_a_dispatcher_cannot_sign_for_the_agency(world, version):
    with pytest.raises(PermissionDenied):
        contract_sign(
            version=version,
            party=SigningParty.AGENCY,
            image_bytes=drawn(),
            document_sha256=version.document_sha256,
            ip=None,
            actor=member(world, Role.DISPATCHER),
        )


def test_a_changed_document_is_refused(version):
    with pytest.raises(ValidationError, match="changed since you opened it"):
        by_link(version, SigningParty.CUSTOMER, sha="0" * 64)


def test_something_else_than_a_png_is_refused(version):
    with pytest.raises(ValidationError, match="Draw your signature"):
        by_link(version, SigningParty.CUSTOMER, image=b"%PDF-1.4 not a signature")


def test_an_expired_link_is_refused(version):
    path = signing_link_path(version, SigningParty.CUSTOMER)
    with (
        time_machine.travel(timezone.now() + timedelta(days=8)),
        pytest.raises(LinkExpired, match="expired"),
    ):
        contract_sign_by_link(
            token=token_of(path),
            image_bytes=drawn(),
            document_sha256=version.document_sha256,
            ip=None,
        )


def test_all_three_store_the_final_pdf_sign_the_placement_and_bill_its_deposit(world, version):
    by_link(version, SigningParty.CUSTOMER)
    by_link(version, SigningParty.STAFF)
    by_manager(world, version)
    version.refresh_from_db()
    assert version.status == ContractStatus.SIGNED
    content = version.final_document.read()
    assert hashlib.sha256(content).hexdigest() == version.final_sha256
    text = pdf_text(content)
    placement = Placement.objects.get(pk=version.placement_id)
    variables = version.terms["variables"]
    for name in (variables["customer_name"], variables["staff_name"], variables["agency_name"]):
        assert name in text
    assert variables["wage"] in text
    assert version.document_sha256 in text.replace("\n", "").replace(" ", "")
    assert placement.status == PlacementStatus.SIGNED
    assert Invoice.objects.filter(agency=world.a.agency).count() == 1


def test_the_final_pdf_is_never_rewritten(world, version):
    by_link(version, SigningParty.CUSTOMER)
    by_link(version, SigningParty.STAFF)
    by_manager(world, version)
    version.refresh_from_db()
    stored, sha = version.final_document.name, version.final_sha256
    by_manager(world, version)
    by_link(version, SigningParty.CUSTOMER)
    version.refresh_from_db()
    assert (version.final_document.name, version.final_sha256) == (stored, sha)
    # Even a party whose signature were lost cannot sign a signed version again.
    ContractSignature.objects.filter(version=version, party=SigningParty.STAFF).delete()
    with pytest.raises(StateConflict, match="not out for signature"):
        by_link(version, SigningParty.STAFF)
    version.refresh_from_db()
    assert hashlib.sha256(version.final_document.read()).hexdigest() == sha


def test_an_amendment_signed_by_all_replaces_the_terms_and_supersedes_version_1(world, version):
    for party in (SigningParty.CUSTOMER, SigningParty.STAFF):
        by_link(version, party)
    by_manager(world, version)
    placement = Placement.objects.get(pk=version.placement_id)
    terms = Terms(**{name: getattr(placement, name) for name in Terms.__dataclass_fields__})
    amendment = contract_amend(
        placement=placement,
        actor=member(world, Role.DISPATCHER),
        terms=replace(terms, wage=Decimal("9000.00")),
        reason="加薪",
    )
    for party in (SigningParty.CUSTOMER, SigningParty.STAFF):
        by_link(amendment, party)
    by_manager(world, amendment)
    placement.refresh_from_db()
    version.refresh_from_db()
    amendment.refresh_from_db()
    assert placement.wage == Decimal("9000.00")
    assert placement.status == PlacementStatus.SIGNED
    assert (version.status, amendment.status) == (ContractStatus.SUPERSEDED, ContractStatus.SIGNED)


def data_url() -> str:
    return "data:image/png;base64," + base64.b64encode(drawn()).decode()


def test_the_signers_page_serves_the_pdf_refuses_a_changed_one_and_thanks(world, version):
    browser = Client()
    page = signing_link_path(version, SigningParty.CUSTOMER)
    opened = browser.get(page)
    assert opened.status_code == 200
    assert "no-store" in opened["Cache-Control"]
    assert version.document_sha256 in opened.text
    assert "data-signature-pad" in opened.text
    pdf = browser.get(page + "contract.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == version.document_sha256
    changed = browser.post(page, {"image": data_url(), "document_sha256": "f" * 64})
    assert changed.status_code == 400
    assert "changed since you opened it" in changed.text or "合同已变更" in changed.text
    assert browser.post(page, {"image": "", "document_sha256": "f" * 64}).status_code == 400
    signed = browser.post(page, {"image": data_url(), "document_sha256": version.document_sha256})
    assert signed.status_code == 302
    assert 'id="signed"' in browser.get(page).text
    assert browser.get(page + "signed.pdf").status_code == 404


def test_an_expired_or_bad_link_page_says_so(version):
    page = signing_link_path(version, SigningParty.STAFF)
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert Client().get(page).status_code == 410
    assert Client().get(page.replace("/s/", "/s/x")).status_code == 404


def test_the_manager_signs_on_the_placement_page_and_every_party_downloads(
    world, version, client_for
):
    by_link(version, SigningParty.CUSTOMER)
    by_link(version, SigningParty.STAFF)
    placement_page = reverse("placement_detail", args=[version.placement_id])
    sign = reverse("contract_sign_agency", args=[version.placement_id])
    copy = reverse("contract_agency_copy", args=[version.placement_id]) + "?version=1"
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.post(sign, {"image": data_url()}).status_code == 403
    assert dispatcher.get(copy).status_code == 403
    other = client_for(world.b.user(Role.MANAGER))
    assert other.post(sign, {"image": data_url()}).status_code == 404
    assert other.get(copy).status_code == 404
    manager = client_for(world.a.user(Role.MANAGER))
    assert sign in manager.get(placement_page).text
    assert manager.get(copy)["Content-Type"] == "application/pdf"
    bad = manager.post(sign, {"image": data_url(), "document_sha256": "0" * 64})
    assert bad.status_code == 400
    done = manager.post(sign, {"image": data_url(), "document_sha256": version.document_sha256})
    assert done.status_code == 302
    version.refresh_from_db()
    assert version.status == ContractStatus.SIGNED
    assert version.final_sha256 in manager.get(placement_page).text
    final = Client().get(signing_link_path(version, SigningParty.STAFF) + "signed.pdf")
    assert hashlib.sha256(final.content).hexdigest() == version.final_sha256
