"""Base classes for every page of an agency: login, membership, role, tenant scope."""

from typing import Any, ClassVar, cast

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from agency.audit import Actor
from agency.models import Agency, Membership, User
from agency.permissions import Area, can_access
from agency.tenancy import get_tenant_object_or_404


class TenantMixin(AccessMixin):
    """A page of the active agency, open to the roles the matrix gives its `area`."""

    area: ClassVar[Area]
    agency: Agency
    membership: Membership
    actor: Actor
    user: User

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        membership: Membership | None = request.membership  # type: ignore[attr-defined]
        if membership is None:
            raise PermissionDenied(_("Your account is not a member of any agency."))
        if not can_access(membership.role, self.area):
            raise PermissionDenied(_("Your role cannot open this page."))
        self.membership = membership
        self.user = cast(User, request.user)
        self.agency = membership.agency
        self.actor = Actor.from_request(request)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


def attach_errors(form: Any, error: ValidationError) -> None:
    """A service's refusal on the form: by field where the form has it, else above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ServiceFormMixin:
    """A form page whose valid form is handed to one service call, `perform(form)`.

    A service validates again inside its transaction (against rows the form
    cannot see, such as another user's concurrent write); its ValidationError
    is shown on the form, next to the field it names, and nothing is written.
    """

    def perform(self, form: Any) -> None:
        raise NotImplementedError

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.perform(form)
        except ValidationError as error:
            attach_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        return super().form_valid(form)  # type: ignore[misc]


class TenantObjectMixin(TenantMixin):
    """A page about one object of the agency; another agency's object is a 404."""

    model: type[Model]

    @cached_property
    def object(self) -> Any:
        """The page's object, fetched once (form pages need it before the form)."""
        return self.get_object()

    def get_object(self, queryset: Any = None) -> Any:
        return get_tenant_object_or_404(
            self.get_queryset(),  # type: ignore[attr-defined]
            agency=self.agency,
            pk=self.kwargs["pk"],  # type: ignore[attr-defined]
        )


def back(request: HttpRequest, *, default: str) -> HttpResponseRedirect:
    """To the page the form came from (`next`, this site only), else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)
