"""A 月嫂 contract signed in Chinese on a phone-sized page by drawing (issue 20): the
customer and the staff member by their links, the manager on the placement page; the
signed PDF, read back with poppler, carries the three names, the wage and three images."""

import subprocess

import pytest
from playwright.sync_api import expect

from agency.models import Role
from placements.contracts import contract_prepare
from placements.models import ContractStatus, PlacementStatus, SigningParty
from placements.signing_links import signing_link_path
from tests.browser.steps import click_and_wait, office_log_in
from tests.factories import PlacementFactory
from tests.placements.conftest import member

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def draw_and_sign(page, scope):
    """Draw a stroke in the signature box with the mouse, then press 签字."""
    canvas = scope.locator("canvas[data-signature-pad]")
    expect(canvas).to_be_visible()
    box = canvas.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 20, box["y"] + box["height"] - 20)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(
            box["x"] + 20 + step * (box["width"] - 40) / 10,
            box["y"] + 20 + (step % 2) * (box["height"] - 40),
        )
    page.mouse.up()
    click_and_wait(page, scope.get_by_role("button", name="签字"))


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_maternity_nurse_contract_is_signed_by_drawing_on_phones(new_page, world, tmp_path):
    agency = world.a.agency
    agency.default_language = "zh-hans"
    agency.save(update_fields=["default_language"])
    placement = PlacementFactory(agency=agency)
    customer = placement.order.customer
    customer.preferred_language = "zh-hans"
    customer.save(update_fields=["preferred_language"])
    version = contract_prepare(placement=placement, actor=member(world, Role.DISPATCHER))
    variables = version.terms["variables"]

    for party in (SigningParty.CUSTOMER, SigningParty.STAFF):
        phone = new_page("zh-CN")
        phone.set_viewport_size(PHONE)
        # The server's first request imports the whole URLconf: slow on a busy machine.
        phone.goto(signing_link_path(version, party), timeout=120_000)
        expect(phone.get_by_role("heading", name="签署合同")).to_be_visible()
        expect(phone.get_by_text(variables["wage"]).first).to_be_visible()
        assert fits_the_phone(phone)
        draw_and_sign(phone, phone.locator("main"))
        expect(phone.locator("#signed")).to_contain_text("您的签名已记录")
        assert fits_the_phone(phone)

    office = new_page("zh-CN")
    office.set_viewport_size(PHONE)
    office_log_in(office, world.a.user(Role.MANAGER))
    office.goto(f"/placements/{placement.pk}/#signatures")
    draw_and_sign(office, office.locator("#signatures"))
    expect(office.locator(".message-success").first).to_contain_text("三方均已签字")

    version.refresh_from_db()
    placement.refresh_from_db()
    assert version.status == ContractStatus.SIGNED
    assert placement.status == PlacementStatus.SIGNED
    signed = tmp_path / "signed.pdf"
    signed.write_bytes(version.final_document.read())
    text = subprocess.run(
        ["pdftotext", "-layout", str(signed), "-"], capture_output=True, check=True, text=True
    ).stdout
    for words in (variables["customer_name"], variables["staff_name"], variables["agency_name"]):
        assert words in text
    assert variables["wage"] in text
    listed = subprocess.run(
        ["pdfimages", "-list", str(signed)], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    # Each drawn signature is one image (its transparency a soft mask beside it).
    assert [line.split()[2] for line in listed].count("image") == 3
