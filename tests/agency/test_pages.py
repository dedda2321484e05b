"""The agency pages: forms keep input and show errors, lists stay fast."""

from django.urls import reverse

from agency.models import AuditLog, Branch, Role
from tests.factories import AuditLogFactory


def test_a_manager_opens_a_branch_from_the_form(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("branch_create"), {"name": "东城门店", "code": "dongcheng", "is_active": "on"}
    )
    assert response.status_code == 302
    branch = Branch.objects.get(agency=world.a.agency, code="dongcheng")
    entry = AuditLog.objects.get(action="branch.create")
    assert entry.object_id == str(branch.pk)
    assert entry.ip_address == "127.0.0.1"


def test_a_rejected_form_shows_the_error_by_the_field_and_keeps_the_input(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("branch_create"), {"name": "Typed name", "code": world.a.branch.code}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'value="Typed name"' in response.content.decode()
    assert not Branch.objects.filter(name="Typed name").exists()


def test_editing_a_branch_records_before_and_after(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    branch = world.a.branch
    response = client.post(
        reverse("branch_update", kwargs={"pk": branch.pk}),
        {"name": "Renamed", "code": branch.code, "address": "", "phone": "", "is_active": "on"},
    )
    assert response.status_code == 302
    assert AuditLog.objects.get(action="branch.update").changes["name"] == [branch.name, "Renamed"]


def test_settings_page_rejects_a_bad_currency_without_touching_the_agency(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("agency_settings"),
        {"name": "", "time_zone": "Asia/Shanghai", "default_language": "en", "currency": "CNY"},
    )
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    # The top bar still shows the stored name, not the rejected one.
    assert response.context["active_membership"].agency.name == world.a.agency.name


def test_audit_log_page_filters_and_stays_at_a_fixed_query_count(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.a.user(Role.MANAGER))
    AuditLogFactory.create_batch(60, agency=world.a.agency, actor=world.a.user(Role.DISPATCHER))
    AuditLogFactory(agency=world.a.agency, action="agency.update_settings")
    with django_assert_max_num_queries(8) as small:
        client.get(reverse("audit_list"))
    AuditLogFactory.create_batch(60, agency=world.a.agency, actor=world.a.user(Role.DISPATCHER))
    with django_assert_max_num_queries(8) as large:
        client.get(reverse("audit_list"))
    assert len(small.captured_queries) == len(large.captured_queries)

    filtered = client.get(reverse("audit_list"), {"action": "agency."})
    assert [e.action for e in filtered.context["object_list"]] == ["agency.update_settings"]


def test_audit_entry_page_shows_the_changes(world, client_for):
    entry = AuditLogFactory(agency=world.a.agency, changes={"name": ["旧名", "新名"]})
    page = client_for(world.a.user(Role.MANAGER)).get(
        reverse("audit_detail", kwargs={"pk": entry.pk})
    )
    assert "旧名" in page.content.decode() and "新名" in page.content.decode()


def _settings_form_data(client) -> dict[str, object]:
    """The settings form as the page shows it, ready to post back."""
    form = client.get(reverse("agency_settings")).context["form"]
    return {
        name: value
        for name, value in ((n, form[n].value()) for n in form.fields)
        if value is not None and value is not False
    }


def test_a_manager_sets_the_targets_the_reports_measure(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    data = _settings_form_data(client)
    assert (data["satisfaction_target_percent"], data["complaint_response_target_hours"]) == (
        85,
        24,
    )
    data.update(satisfaction_target_percent=90, complaint_response_target_hours=12)
    assert client.post(reverse("agency_settings"), data).status_code == 302
    world.a.agency.refresh_from_db()
    assert world.a.agency.satisfaction_target_percent == 90
    assert world.a.agency.complaint_response_target_hours == 12


def test_a_target_above_100_percent_is_refused(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    data = {**_settings_form_data(client), "turnover_target_percent": 101}
    response = client.post(reverse("agency_settings"), data)
    assert response.status_code == 200
    assert "turnover_target_percent" in response.context["form"].errors
    world.a.agency.refresh_from_db()
    assert world.a.agency.turnover_target_percent == 10
