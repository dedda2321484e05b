"""The amendment and renewal pages and API (issue 20), and the contracts API's signatures."""

import base64
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from agency.models import Role
from placements.models import ContractStatus, ContractVersion, Placement, PlacementStatus
from tests.placements.test_signing import by_link, by_manager, drawn

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(world, version):
    """The placement whose first version all three have signed."""
    for party in ("customer", "staff"):
        by_link(version, party)
    by_manager(world, version)
    return Placement.objects.get(pk=version.placement_id)


def page_data(placement: Placement, **changes: object) -> dict[str, object]:
    data = {
        "starts_on": placement.starts_on.isoformat(),
        "ends_on": placement.ends_on.isoformat(),
        "trial_days": placement.trial_days,
        "price": placement.price,
        "price_period": placement.price_period,
        "wage": placement.wage,
        "wage_paid_by": placement.wage_paid_by,
        "service_fee": placement.service_fee,
        "deposit": placement.deposit,
        "days_off_per_month": placement.days_off_per_month,
        "free_replacements": placement.free_replacements,
        "renewal_terms": placement.renewal_terms,
        "reason": "客户要求加一天休息",
        "submission_key": str(uuid.uuid4()),
    }
    return {**data, **changes}


def test_the_amendment_page_sends_a_version_once(world, signed, client_for):
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("placement_amend", kwargs={"pk": signed.pk})
    page = dispatcher.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.text
    detail = dispatcher.get(reverse("placement_detail", kwargs={"pk": signed.pk}))
    assert url in detail.text
    data = page_data(signed, days_off_per_month=5)
    first = dispatcher.post(url, data)
    assert first.status_code == 302 and first["Location"].endswith("#contract")
    again = dispatcher.post(url, data)  # the double click
    assert again.status_code == 302
    versions = ContractVersion.objects.filter(placement=signed).order_by("number")
    assert [(v.number, v.kind, v.status) for v in versions] == [
        (1, "original", ContractStatus.SIGNED),
        (2, "amendment", ContractStatus.OUT_FOR_SIGNATURE),
    ]
    assert versions[1].terms["terms"]["days_off_per_month"] == "5"
    signed.refresh_from_db()
    assert signed.days_off_per_month != 5  # not until all three have signed
    # Another amendment while this one is out: refused with the reason, nothing written.
    refused = dispatcher.post(url, page_data(signed), follow=True)
    assert "已有一个版本在等待签署" in refused.text
    assert ContractVersion.objects.filter(placement=signed).count() == 2


def test_bad_input_is_shown_on_the_page_and_nothing_is_written(world, signed, client_for):
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    url = reverse("placement_amend", kwargs={"pk": signed.pk})
    no_reason = dispatcher.post(url, page_data(signed, reason="", wage=""))
    assert no_reason.status_code == 400
    assert no_reason.context["form"].errors.keys() >= {"reason", "wage"}
    same_staff = signed.order.assignments.get().staff
    refused = dispatcher.post(url, page_data(signed, staff=same_staff.pk))
    assert refused.status_code == 400 and "staff" in refused.context["form"].errors
    renew = reverse("placement_renew", kwargs={"pk": signed.pk})
    not_longer = dispatcher.post(renew, page_data(signed))
    assert not_longer.status_code == 400 and "ends_on" in not_longer.context["form"].errors
    assert ContractVersion.objects.filter(placement=signed).count() == 1


def test_the_renewal_page_proposes_the_same_length_again(world, signed, client_for):
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    page = dispatcher.get(reverse("placement_renew", kwargs={"pk": signed.pk}))
    length = signed.ends_on - signed.starts_on
    proposed = page.context["form"].initial["ends_on"]
    assert (proposed - signed.ends_on).days == length.days + 1
    # The date picker's value is ISO in every language (a localised date leaves it empty).
    assert f'value="{proposed.isoformat()}"' in page.text


def test_other_agencies_and_roles(world, signed, client_for):
    url = reverse("placement_amend", kwargs={"pk": signed.pk})
    assert client_for(world.b.user(Role.DISPATCHER)).get(url).status_code == 404
    assert client_for(world.a.user(Role.FINANCE)).get(url).status_code == 403
    api = f"/api/placements/{signed.pk}/amend/"
    assert client_for(world.b.user(Role.DISPATCHER)).post(api, {}).status_code == 404


def api_body(placement: Placement, **changes: object) -> dict[str, object]:
    body = page_data(placement, **changes)
    body.pop("submission_key")
    return {
        key: (str(value) if isinstance(value, Decimal) else value) for key, value in body.items()
    }


def test_the_api_amends_once_per_key_and_names_bad_fields(world, signed, client_for):
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    url = f"/api/placements/{signed.pk}/amend/"
    bad = dispatcher.post(url, api_body(signed, reason=""), content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    body = api_body(signed, price="13800.00", kind="amendment")
    made = dispatcher.post(url, body, content_type="application/json", **key)
    assert made.status_code == 201, made.json()
    assert (made.json()["number"], made.json()["kind"]) == (2, "amendment")
    replayed = dispatcher.post(url, body, content_type="application/json", **key)
    assert replayed.status_code == 201 and replayed.json()["id"] == made.json()["id"]
    out = dispatcher.post(url, body, content_type="application/json")
    assert out.status_code == 409


def test_the_manager_signs_by_api_and_the_versions_show_the_signatures(world, version, client_for):
    sign_url = f"/api/placements/{version.placement_id}/contract/sign/"
    image = "data:image/png;base64," + base64.b64encode(drawn()).decode()
    body = {"image": image, "document_sha256": version.document_sha256}
    dispatcher = client_for(world.a.user(Role.DISPATCHER))
    assert dispatcher.post(sign_url, body, content_type="application/json").status_code == 403
    manager = client_for(world.a.user(Role.MANAGER))
    changed = manager.post(
        sign_url, {**body, "document_sha256": "0" * 64}, content_type="application/json"
    )
    assert changed.status_code == 400
    signed = manager.post(sign_url, body, content_type="application/json")
    assert signed.status_code == 201 and signed.json()["party"] == "agency"
    for party in ("customer", "staff"):
        by_link(version, party)
    listed = manager.get(f"/api/placements/{version.placement_id}/contract/")
    [shown] = listed.json()
    assert shown["status"] == "signed"
    assert sorted(s["party"] for s in shown["signatures"]) == ["agency", "customer", "staff"]
    assert all(s["document_sha256"] == version.document_sha256 for s in shown["signatures"])
    nothing_out = manager.post(sign_url, body, content_type="application/json")
    assert nothing_out.status_code == 409
    assert Placement.objects.get(pk=version.placement_id).status == PlacementStatus.SIGNED
