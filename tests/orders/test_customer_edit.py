"""The customer edit page never shows a full phone number (DESIGN.md: reveals are audited)."""

from django.urls import reverse

from agency.models import AuditLog, Role
from tests.factories import CustomerFactory


def _edit(customer):
    return reverse("customer_edit", kwargs={"pk": customer.pk})


def test_the_edit_page_shows_the_phones_masked_and_reveals_nothing(world, client_for):
    customer = CustomerFactory(agency=world.a.agency, phone="13800138000", phone_alt="13911112222")
    page = client_for(world.a.user(Role.DISPATCHER)).get(_edit(customer))
    body = page.content.decode()
    assert page.status_code == 200
    assert "13800138000" not in body and "13911112222" not in body
    assert "138****8000" in body and "139****2222" in body
    assert not AuditLog.objects.filter(action__startswith="customer.reveal").exists()


def test_an_empty_phone_keeps_the_number_and_a_typed_one_replaces_it(world, client_for):
    customer = CustomerFactory(agency=world.a.agency, phone="13800138000", phone_alt="13911112222")
    client = client_for(world.a.user(Role.DISPATCHER))
    form = {"name": "王女士", "preferred_language": "", "notes": ""}

    assert client.post(_edit(customer), form).status_code == 302
    customer.refresh_from_db()
    assert (customer.name, customer.phone, customer.phone_alt) == (
        "王女士",
        "13800138000",
        "13911112222",
    )

    client.post(_edit(customer), {**form, "phone": "137 0000-1111", "remove_phone_alt": "on"})
    customer.refresh_from_db()
    assert (customer.phone, customer.phone_alt) == ("13700001111", "")
    changes = AuditLog.objects.filter(action="customer.update").latest("id").changes
    assert changes["phone"] == ["***", "***"]


def test_a_bad_new_phone_is_refused_next_to_the_field(world, client_for):
    customer = CustomerFactory(agency=world.a.agency, phone="13800138000")
    page = client_for(world.a.user(Role.DISPATCHER)).post(
        _edit(customer), {"name": "x", "phone": "12ab", "preferred_language": "", "notes": ""}
    )
    assert page.status_code == 200 and "phone" in page.context["form"].errors
    assert "13800138000" not in page.content.decode()
