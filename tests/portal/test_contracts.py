"""The customer's contracts in the portal (issue 20): their own placements' versions
only, the PDF to that customer alone, constant queries; the API's list the same."""

import pytest

from placements.models import ContractVersion
from tests.factories import CustomerFactory, contract_version_for
from tests.portal.conftest import portal_url

pytestmark = pytest.mark.django_db


def test_the_page_lists_the_customers_own_versions_with_their_pdf(signed_in, customer):
    home = signed_in.get(portal_url("home", customer)).content.decode()
    assert portal_url("contracts", customer) not in home  # no placement: no link
    signed = contract_version_for(customer, signed=True)
    ContractVersion.objects.create(
        agency=customer.agency, placement=signed.placement, number=2, kind="amendment"
    )  # a draft: the office's until sent
    theirs = contract_version_for(CustomerFactory(agency=customer.agency))
    page = signed_in.get(portal_url("contracts", customer)).content.decode()
    assert portal_url("contracts", customer) in page  # now in the navigation
    assert signed.placement.order.number in page and "Signed contract (PDF)" in page
    assert portal_url("contract_pdf", customer, pk=signed.pk) in page
    assert "Amendment" not in page and theirs.placement.order.number not in page
    pdf = signed_in.get(portal_url("contract_pdf", customer, pk=signed.pk))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == b"%PDF-1.4 signed"
    assert signed_in.get(portal_url("contract_pdf", customer, pk=theirs.pk)).status_code == 404


def test_the_pdf_out_for_signature_until_all_have_signed(signed_in, customer):
    out = contract_version_for(customer)
    pdf = signed_in.get(portal_url("contract_pdf", customer, pk=out.pk))
    assert b"".join(pdf.streaming_content) == b"%PDF-1.4 out"


def test_the_list_costs_the_same_queries(signed_in, customer, django_assert_num_queries):
    contract_version_for(customer, signed=True)
    signed_in.get(portal_url("contracts", customer))  # the session, once
    with django_assert_num_queries(6) as first:
        signed_in.get(portal_url("contracts", customer))
    contract_version_for(customer)
    contract_version_for(customer, signed=True)
    with django_assert_num_queries(len(first.captured_queries)):
        signed_in.get(portal_url("contracts", customer))


def test_the_api_lists_the_customers_versions_only(
    signed_in, customer, world, django_assert_num_queries
):
    signed = contract_version_for(customer, signed=True)
    contract_version_for(CustomerFactory(agency=customer.agency))
    contract_version_for(CustomerFactory(agency=world.b.agency, phone=customer.phone))
    url = f"/api/portal/{customer.agency.slug}/contracts/"
    (answer,) = signed_in.get(url).json()["results"]
    assert answer["id"] == signed.pk and answer["signed"] is True
    assert answer["kind"] == "original" and answer["status"] == "out"
    assert answer["pdf_url"] == portal_url("contract_pdf", customer, pk=signed.pk)
    contract_version_for(customer)
    # session, agency, customer, count, the page (placement, order and service joined)
    with django_assert_num_queries(5):
        assert len(signed_in.get(url).json()["results"]) == 2
