"""The invited person's page: take the role with the account they have, or a new one."""

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from agency import services
from agency.audit import Actor
from agency.forms import NewAccountForm
from agency.invitations import InvitationInvalid, invitation_from_token
from agency.models import Invitation, Membership, User
from agency.tenancy import SESSION_KEY

#: The account was just made with its password: no backend needs to check it again.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class InvitationAcceptView(View):
    invitation: Invitation

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.invitation = invitation_from_token(kwargs["token"])
        except InvitationInvalid:
            return render(request, "agency/invitation_invalid.html", status=404)
        if self.invitation.accepted_at is not None or self.invitation.has_expired:
            return render(request, "agency/invitation_invalid.html", status=410)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        signed_in = request.user.is_authenticated
        return self._page(form=None if signed_in else self._new_account_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = Actor.from_request(request)
        form: NewAccountForm | None = None
        try:
            if request.user.is_authenticated:
                membership = services.invitation_accept(
                    invitation=self.invitation, actor=actor, user=request.user
                )
            else:
                form = self._new_account_form(request.POST)
                if not form.is_valid():
                    return self._page(form=form, status=400)
                membership = services.invitation_accept(
                    invitation=self.invitation,
                    actor=actor,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend=MODEL_BACKEND)
        except ValidationError as error:
            return self._page(form=form, problem=" ".join(error.messages), status=409)
        return self._welcome(membership)

    def _welcome(self, membership: Membership) -> HttpResponse:
        self.request.session[SESSION_KEY] = membership.agency_id
        messages.success(
            self.request, _("Welcome to %(agency)s.") % {"agency": membership.agency.name}
        )
        return redirect("home")

    def _new_account_form(self, data: Any = None) -> NewAccountForm:
        # The invitation's address and names, so the password checks can compare with them.
        person = User(
            email=self.invitation.email,
            first_name=self.invitation.first_name,
            last_name=self.invitation.last_name,
        )
        return NewAccountForm(data, instance=person)

    def _page(self, *, status: int = 200, **context: Any) -> HttpResponse:
        return render(
            self.request,
            "agency/invitation_accept.html",
            {"invitation": self.invitation, **context},
            status=status,
        )
