"""Accounts around Django's auth views: API tokens end with the password and the session.

API tokens are django-rest-knox's: stored hashed, one per login, each with an
expiry (REST_KNOX["TOKEN_TTL"]). A changed or reset password ends every token
of the account, and so does logging out of the site ("log out" means out of
every client); the API's own logout ends the token it was called with.
"""

from typing import Any

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from agency.models import User
from agency.services import api_tokens_revoke


class ApiTokensEndWithPassword:
    """Listed in AUTH_PASSWORD_VALIDATORS for Django's `password_changed` hook.

    Django calls it whenever a password is saved: the reset and change pages,
    the admin and `manage.py changepassword` alike, so none is missed. It
    validates nothing; its help text, shown under the password fields, says
    what a change does.
    """

    def validate(self, password: str, user: User | None = None) -> None:
        return None

    def password_changed(self, password: str, user: User | None = None) -> None:
        if user is not None and user.pk is not None:
            api_tokens_revoke(user=user)

    def get_help_text(self) -> str:
        return _("A new password signs your apps and scripts out of the API.")


class LogoutView(auth_views.LogoutView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            api_tokens_revoke(user=request.user)
        return super().post(request, *args, **kwargs)
