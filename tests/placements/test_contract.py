"""Placement contracts: versioned templates, preparing the original (refused while terms
are missing, else a PDF with the parties and a masked ID number), amendments (issue 20)."""

import hashlib
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agency.errors import StateConflict
from agency.models import Role
from placements.amendments import contract_amend
from placements.contracts import (
    contract_prepare,
    contract_template_save,
    contract_variables,
    mask_id_number,
)
from placements.models import ContractVersion, Placement
from placements.terms import Terms
from tests.placements.conftest import member

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()


def with_id_number(placement: Placement) -> Placement:
    staff = placement.order.assignments.get().staff
    staff.id_number = "110101199001011234"
    staff.save(update_fields=["id_number"])
    return placement


def test_each_save_is_a_new_version_and_unknown_variables_are_named(world, placement):
    service = placement.order.service_type
    manager = member(world, Role.MANAGER)
    first = contract_template_save(
        agency_id=world.a.agency.pk,
        service_type=service,
        language="zh-hans",
        body="甲方：{{ customer_name }}",
        actor=manager,
    )
    second = contract_template_save(
        agency_id=world.a.agency.pk,
        service_type=service,
        language="zh-hans",
        body="甲方：{{customer_name}}，工资 {{ wage }}",
        actor=manager,
    )
    assert (first.version, second.version) == (1, 2)
    with pytest.raises(ValidationError, match="salary, tip"):
        contract_template_save(
            agency_id=world.a.agency.pk,
            service_type=service,
            language="zh-hans",
            body="{{ tip }} {{ salary }} {{ wage }}",
            actor=manager,
        )


def test_only_a_manager_words_the_templates(world, placement):
    with pytest.raises(PermissionDenied):
        contract_template_save(
            agency_id=world.a.agency.pk,
            service_type=placement.order.service_type,
            language="zh-hans",
            body="{{ customer_name }}",
            actor=member(world, Role.DISPATCHER),
        )


def test_variables_format_every_term(world, placement):
    variables = contract_variables(with_id_number(placement))
    assert variables["wage"] == "¥12,000.00"
    assert variables["staff_id_number"] == "110101199001011234"
    assert variables["days"] == "26"
    assert variables["customer_name"] == placement.order.customer.name
    assert mask_id_number("110101199001011234") == "1101**********1234"


def test_an_incomplete_contract_is_refused_with_the_missing_terms_named(world, placement):
    Placement.objects.filter(pk=placement.pk).update(wage=None, deposit=None)
    with pytest.raises(ValidationError) as refused:
        contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))
    assert set(refused.value.message_dict) == {"wage", "deposit"}
    assert not ContractVersion.objects.exists()


def test_the_prepared_contract_is_a_pdf_with_the_parties_and_a_masked_id(world, placement):
    version = contract_prepare(
        placement=with_id_number(placement), actor=member(world, Role.DISPATCHER)
    )
    content = version.document.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == version.document_sha256
    text = pdf_text(content)
    assert placement.order.customer.name in text
    assert "¥12,000.00" in text
    assert "1101**********1234" in text and "110101199001011234" not in text
    assert "第1页/共2页" in text.replace(" ", "")
    placement.refresh_from_db()
    assert placement.status == "signing" and version.status == "out"


def test_an_amendment_is_version_two_and_keeps_the_first(world, placement):
    contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))
    with pytest.raises(StateConflict, match="signed"):
        contract_amend(
            placement=placement,
            actor=member(world, Role.DISPATCHER),
            terms=_terms(placement),
            reason="涨价",
        )
    ContractVersion.objects.update(status="signed")
    Placement.objects.filter(pk=placement.pk).update(status="active")
    terms = replace(_terms(placement), wage=Decimal("13000"))
    amendment = contract_amend(
        placement=placement, actor=member(world, Role.DISPATCHER), terms=terms, reason="涨工资"
    )
    assert amendment.number == 2 and amendment.kind == "amendment"
    assert amendment.terms["variables"]["wage"] == "¥13,000.00"
    assert list(placement.contracts.values_list("number", flat=True)) == [1, 2]
    placement.refresh_from_db()
    assert placement.wage == Decimal("12000.00")


def _terms(placement: Placement) -> Terms:
    return Terms(**{name: getattr(placement, name) for name in Terms.__dataclass_fields__})


def test_the_template_page_saves_versions_for_a_manager_only(world, placement, client_for):
    from django.urls import reverse

    url = reverse("contract_templates")
    assert client_for(world.a.user(Role.DISPATCHER)).get(url).status_code == 403
    client = client_for(world.a.user(Role.MANAGER))
    page = client.get(url)
    assert page.status_code == 200 and "customer_name" in page.text
    data = {
        "service_type": placement.order.service_type.pk,
        "language": "zh-hans",
        "body": "甲方 {{ customer_name }} {{ bonus }}",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "bonus" in refused.text
    saved = client.post(url, {**data, "body": "甲方 {{ customer_name }}"})
    assert saved.status_code == 302
    listed = client.get("/api/contract-templates/").json()["results"]
    assert [row["version"] for row in listed] == [1]
    created = client.post(
        "/api/contract-templates/",
        {**data, "body": "{{ staff_name }}"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["version"] == 2


def test_sending_an_incomplete_contract_names_what_is_missing(world, placement, client_for):
    from django.urls import reverse

    Placement.objects.filter(pk=placement.pk).update(wage=None)
    client = client_for(world.a.user(Role.DISPATCHER))
    page = client.post(reverse("contract_prepare", args=[placement.pk]), {"language": "zh-hans"})
    assert page.status_code == 400
    assert "缺少服务人员月工资。" in page.text
    api = client.post(
        f"/api/placements/{placement.pk}/contract/", {}, content_type="application/json"
    )
    assert api.status_code == 400 and "wage" in api.json()


def test_the_contract_is_sent_and_listed_with_its_pdf(world, placement, client_for):
    from django.urls import reverse

    client = client_for(world.a.user(Role.DISPATCHER))
    sent = client.post(
        f"/api/placements/{placement.pk}/contract/", {}, content_type="application/json"
    )
    assert sent.status_code == 201 and sent.json()["status"] == "out"
    versions = client.get(f"/api/placements/{placement.pk}/contract/").json()
    assert [v["number"] for v in versions] == [1]
    page = client.get(reverse("placement_detail", args=[placement.pk]))
    assert page.status_code == 200 and "/media/" in page.text
    download = client.get(versions[0]["document"])
    assert download["Content-Type"] == "application/pdf"


def test_another_agencys_placement_is_not_found(world, placement, client_for):
    from django.urls import reverse

    client = client_for(world.b.user(Role.MANAGER))
    assert client.get(f"/api/placements/{placement.pk}/contract/").status_code == 404
    assert (
        client.post(
            f"/api/placements/{placement.pk}/contract/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(reverse("contract_prepare", args=[placement.pk])).status_code == 404
