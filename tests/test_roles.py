"""The role matrix, enforced on the server for every page and API list.

Every route without an object id either names an `area` (and then each role
gets 200 where agency.permissions.ACCESS allows it and 403 elsewhere) or is
listed in PUBLIC_ROUTES with the reason it needs no role.
"""

import pytest
from django.urls import reverse

from agency.models import Role
from agency.permissions import ACCESS, Area
from tests.routes import Route, all_routes

#: API actions without input, and what they answer to an allowed role's empty POST.
NO_INPUT_ROUTES = {"notification-read-all": 204, "api_office_attendance_clock_in": 201}
#: Pages that send some allowed readers on: the home page takes field staff to their jobs.
REDIRECTED_ROLES = {"home": {Role.STAFF}}

PUBLIC_ROUTES = {
    # Accounts: reachable before logging in, or for any logged-in user.
    "login": "the way in",
    "logout": "the way out",
    "password_change": "any user's own password",
    "password_change_done": "any user's own password",
    "password_reset": "reachable before logging in",
    "password_reset_done": "reachable before logging in",
    "password_reset_confirm": "reachable before logging in, by signed token",
    "password_reset_complete": "reachable before logging in",
    "set_language": "the login page has a language switch too",
    "switch_agency": "any user, among their own memberships only",
    "health": "the load balancer's probe; reveals no tenant data",
    "media": "uploaded files, by a signed link the page that showed it handed out",
    "api_token": "API login",
    "api_logout": "ends the API token it is called with",
    "api_me": "any user: says which agencies they belong to",
    "api_schema": "any logged-in user; describes endpoints, not data",
    "api_docs": "any logged-in user; describes endpoints, not data",
    "api-root": "DRF's index of endpoints",
    "customer_link_invoice_pdf": "the customer's signed link",
    "customer_link_receipt_pdf": "the customer's signed link",
    "customer_link": "the customer's signed link",
    "customer_link_pay": "the customer's signed link",
    "payment_notify": "the payment providers' notifications, verified by their signatures",
    "feedback_form": "the customer's signed feedback link",
    "valuables_confirm": "the customer's signed link to confirm the valuables check",
    "placement_trial": "the customer's signed link to answer at the end of a placement's trial",
    "contract_sign_link": "the customer's or the staff member's signed link to sign a contract",
    "contract_sign_pdf": "the contract to read, by the signer's signed link",
    "contract_sign_final": "the signed contract, by the signer's signed link",
    "voice_survey_link": "the staff member's signed link to answer the staff survey anonymously",
    "invitation_accept": "the invited person's signed link; they may have no account yet",
    "sms_receipts_aliyun": "the SMS provider's delivery receipts, signed with a shared secret",
    "sms_receipts_aliyun_token": "the SMS provider's delivery receipts, by a secret URL token",
}

#: Routes whose URL takes a value that is not an object id, with a value to sweep them with.
SAMPLE_KWARGS: dict[str, dict[str, str]] = {
    "report_rows": {"table": "orders_taken"},
    "report_rows_csv": {"table": "orders_taken"},
    **{
        name: {"rule": "job.assigned:staff", "language": "zh-hans"}
        for name in (
            "message_template_edit",
            "message_template_preview",
            "message_template_reset",
            "api_message_template",
            "api_message_template_preview",
        )
    },
}

AREA_ROUTES = [
    route
    for route in all_routes()
    if not route.object_kwargs
    and route.kwargs <= SAMPLE_KWARGS.get(route.name, {}).keys()
    and route.name not in PUBLIC_ROUTES
]


def url(route: Route) -> str:
    return reverse(route.name, kwargs=SAMPLE_KWARGS.get(route.name))


def test_every_route_with_other_kwargs_is_swept_or_declared_public():
    undeclared = [
        r.name
        for r in all_routes()
        if r.kwargs - r.object_kwargs
        and r.name not in SAMPLE_KWARGS
        and r.name not in PUBLIC_ROUTES
    ]
    assert undeclared == [], "give these routes SAMPLE_KWARGS, or list them in PUBLIC_ROUTES"


def test_every_route_is_guarded_or_declared_public():
    unguarded = [
        r.name for r in AREA_ROUTES if not isinstance(getattr(r.view_class, "area", None), Area)
    ]
    assert unguarded == [], "give these views an `area`, or list them in PUBLIC_ROUTES"


@pytest.mark.parametrize("route", AREA_ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_role_reads_only_its_areas(route: Route, role: Role, world, client_for):
    if "get" not in route.methods:
        pytest.skip("not a page to read")
    response = client_for(world.a.user(role)).get(url(route))
    allowed = role in ACCESS[route.view_class.area]
    redirected = role in REDIRECTED_ROLES.get(route.name, set())
    assert response.status_code == ((302 if redirected else 200) if allowed else 403)


@pytest.mark.parametrize(
    "route", [r for r in AREA_ROUTES if r.is_api and "post" in r.methods], ids=lambda r: r.name
)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_role_writes_only_its_areas(route: Route, role: Role, world, client_for):
    view = route.view_class
    area = view.write_area or view.area
    response = client_for(world.a.user(role)).post(url(route), {}, content_type="application/json")
    if role in ACCESS[area]:
        # Allowed in, and told what is missing; or done, for an action that takes nothing.
        assert response.status_code == NO_INPUT_ROUTES.get(route.name, 400)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("route", AREA_ROUTES, ids=lambda r: r.name)
def test_anonymous_is_sent_to_login(route: Route, client):
    if "get" not in route.methods:
        pytest.skip("not a page to read")
    response = client.get(url(route))
    if route.is_api:
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_user_without_agency_is_refused(client_for, django_user_model):
    loner = django_user_model.objects.create_user("loner")
    client = client_for(loner)
    assert client.get(reverse("home")).status_code == 403
    assert client.get(reverse("branch-list")).status_code == 403
    assert client.get(reverse("api_me")).json()["active_membership"] is None
