"""The agency API: field errors, JSON errors, constant query counts."""

from django.urls import reverse

from agency.models import AuditLog, Branch, Role
from tests.factories import AuditLogFactory, BranchFactory


def test_a_manager_opens_a_branch_through_the_api(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    response = client.post(
        reverse("branch-list"),
        {"name": "东城门店", "code": "dongcheng"},
        content_type="application/json",
    )
    assert response.status_code == 201
    branch = Branch.objects.get(pk=response.json()["id"])
    assert branch.agency == world.a.agency
    assert AuditLog.objects.filter(action="branch.create", object_id=str(branch.pk)).exists()


def test_bad_input_gets_400_with_field_messages_and_writes_nothing(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    count = Branch.objects.count()
    response = client.post(
        reverse("branch-list"), {"name": "", "code": "no spaces"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"name", "code"}
    assert Branch.objects.count() == count


def test_a_duplicate_code_from_the_service_is_a_400_on_the_field_in_the_callers_language(
    world, client_for
):
    client = client_for(world.a.user(Role.MANAGER))
    payload = {"name": "Twin", "code": world.a.branch.code}
    url = reverse("branch-list")
    english = client.post(url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json() == {"code": ["A branch with this code already exists."]}
    chinese = client.post(
        url, payload, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert chinese.json() == {"code": ["已存在相同编码的门店。"]}


def test_a_partial_update_changes_one_field(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("branch-detail", kwargs={"pk": world.a.branch.pk})
    response = client.patch(url, {"phone": "010-8888 6666"}, content_type="application/json")
    assert response.status_code == 200
    world.a.branch.refresh_from_db()
    assert world.a.branch.phone == "010-8888 6666"


def test_unknown_api_paths_answer_json_404(world, client_for):
    response = client_for(world.a.user(Role.MANAGER)).get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_schema_and_docs_are_served(world, client_for):
    client = client_for(world.a.user(Role.DISPATCHER))
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/branches/" in schema.json()["paths"]
    assert client.get(reverse("api_docs")).status_code == 200


def test_branch_list_runs_a_fixed_number_of_queries(world, client_for, django_assert_num_queries):
    client = client_for(world.a.user(Role.DISPATCHER))
    BranchFactory.create_batch(30, agency=world.a.agency)
    # session, user, memberships with agency and branch, count, page of rows
    with django_assert_num_queries(5):
        assert len(client.get(reverse("branch-list")).json()["results"]) == 31


def test_audit_log_list_runs_a_fixed_number_of_queries(
    world, client_for, django_assert_num_queries
):
    client = client_for(world.a.user(Role.MANAGER))
    AuditLogFactory.create_batch(40, agency=world.a.agency, actor=world.a.user(Role.DISPATCHER))
    # session, user, memberships, count, page of rows with their actors
    with django_assert_num_queries(5):
        assert len(client.get(reverse("auditlog-list")).json()["results"]) == 40


def test_audit_log_api_filters_by_action_within_the_agency(world, client_for):
    AuditLogFactory(agency=world.a.agency, action="branch.create")
    AuditLogFactory(agency=world.a.agency, action="agency.update_settings")
    AuditLogFactory(agency=world.b.agency, action="branch.create")
    client = client_for(world.a.user(Role.MANAGER))
    results = client.get(reverse("auditlog-list"), {"action": "branch"}).json()["results"]
    assert [r["action"] for r in results] == ["branch.create"]


def test_a_manager_reads_and_changes_the_targets_by_api(world, client_for):
    client = client_for(world.a.user(Role.MANAGER))
    url = reverse("api_agency_settings")
    assert client.get(url).json()["turnover_target_percent"] == 10
    response = client.patch(url, {"turnover_target_percent": 8}, content_type="application/json")
    assert response.status_code == 200 and response.json()["turnover_target_percent"] == 8
    refused = client.patch(
        url, {"satisfaction_target_percent": 150}, content_type="application/json"
    )
    assert refused.status_code == 400 and "satisfaction_target_percent" in refused.json()
    world.a.agency.refresh_from_db()
    assert (world.a.agency.turnover_target_percent, world.a.agency.satisfaction_target_percent) == (
        8,
        85,
    )


def test_only_managers_change_the_settings_by_api(world, client_for):
    client = client_for(world.a.user(Role.SUPERVISOR))
    url = reverse("api_agency_settings")
    assert (
        client.patch(
            url, {"turnover_target_percent": 8}, content_type="application/json"
        ).status_code
        == 403
    )
