"""Pages of the agency area: branches, audit log, settings, switchers."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View, i18n
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, FormView, ListView
from django_filters.views import FilterView

from agency import selectors, services
from agency.filters import AuditLogFilter
from agency.forms import (
    AgencySettingsForm,
    BranchForm,
    MemberEditForm,
    MemberInviteForm,
    SwitchAgencyForm,
)
from agency.invitations import SiteAddress
from agency.models import Agency, AuditLog, Branch, Membership, Notification
from agency.permissions import Area
from agency.tenancy import SESSION_KEY, get_tenant_object_or_404
from agency.tenant_views import ServiceFormMixin, TenantMixin, TenantObjectMixin


class BranchListView(TenantMixin, ListView):
    area = Area.BRANCHES
    template_name = "agency/branch_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Branch]:
        return selectors.branches_for(agency=self.agency)


class BranchCreateView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.BRANCHES
    template_name = "agency/branch_form.html"
    form_class = BranchForm
    success_url = reverse_lazy("branch_list")

    def get_form_kwargs(self) -> dict[str, Any]:
        # The agency is set before validation so uniqueness is checked within it.
        return {**super().get_form_kwargs(), "instance": Branch(agency=self.agency)}

    def perform(self, form: BranchForm) -> None:
        branch = services.branch_create(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Branch %(name)s opened.") % {"name": branch.name})


class BranchUpdateView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.BRANCHES
    model = Branch
    template_name = "agency/branch_form.html"
    form_class = BranchForm
    success_url = reverse_lazy("branch_list")

    def get_queryset(self) -> QuerySet[Branch]:
        return selectors.branches_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def perform(self, form: BranchForm) -> None:
        branch = services.branch_update(branch=form.instance, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Branch %(name)s saved.") % {"name": branch.name})


class MemberListView(TenantMixin, ListView):
    area = Area.MEMBERS
    template_name = "agency/member_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.members_for(agency=self.agency)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        invitations = selectors.open_invitations_for(agency=self.agency)
        return super().get_context_data(invitations=invitations, **kwargs)


class MemberInviteView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.MEMBERS
    template_name = "agency/member_form.html"
    form_class = MemberInviteForm
    success_url = reverse_lazy("member_list")

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "agency": self.agency}

    def perform(self, form: MemberInviteForm) -> None:
        invitation = services.member_invite(
            agency=self.agency,
            actor=self.actor,
            site=SiteAddress(domain=self.request.get_host(), use_https=self.request.is_secure()),
            **form.cleaned_data,
        )
        messages.success(
            self.request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
        )


class MemberEditView(TenantObjectMixin, ServiceFormMixin, FormView):
    area = Area.MEMBERS
    model = Membership
    template_name = "agency/member_form.html"
    form_class = MemberEditForm
    success_url = reverse_lazy("member_list")

    def get_queryset(self) -> QuerySet[Membership]:
        return selectors.members_for(agency=self.agency)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": self.get_object()}

    def perform(self, form: MemberEditForm) -> None:
        membership = services.member_update(
            membership=form.instance, actor=self.actor, **form.cleaned_data
        )
        messages.success(self.request, _("%(user)s saved.") % {"user": membership.user.username})


class AuditLogListView(TenantMixin, FilterView):
    area = Area.AUDIT
    template_name = "agency/auditlog_list.html"
    filterset_class = AuditLogFilter
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditLog]:
        return selectors.audit_log_for(agency=self.agency)


class AuditLogDetailView(TenantObjectMixin, DetailView):
    area = Area.AUDIT
    model = AuditLog
    template_name = "agency/auditlog_detail.html"

    def get_queryset(self) -> QuerySet[AuditLog]:
        return selectors.audit_log_for(agency=self.agency)


class AgencySettingsView(TenantMixin, ServiceFormMixin, FormView):
    area = Area.SETTINGS
    template_name = "agency/settings_form.html"
    form_class = AgencySettingsForm
    success_url = reverse_lazy("agency_settings")

    def get_form_kwargs(self) -> dict[str, Any]:
        # A fresh copy: a rejected form must not leave its values on request.agency.
        return {**super().get_form_kwargs(), "instance": Agency.objects.get(pk=self.agency.pk)}

    def perform(self, form: AgencySettingsForm) -> None:
        services.agency_update_settings(agency=self.agency, actor=self.actor, **form.cleaned_data)
        messages.success(self.request, _("Settings saved."))


@require_POST
@login_required
def switch_agency(request: HttpRequest) -> HttpResponse:
    """Make another of the user's agencies the active one for this session."""
    form = SwitchAgencyForm(request.POST)
    memberships = {m.agency_id: m for m in request.memberships}  # type: ignore[attr-defined]
    if not form.is_valid() or form.cleaned_data["agency"] not in memberships:
        messages.error(request, _("You are not a member of that agency."))
        return redirect("home")
    request.session[SESSION_KEY] = form.cleaned_data["agency"]
    agency = memberships[form.cleaned_data["agency"]].agency
    messages.success(request, _("Now working in %(agency)s.") % {"agency": agency.name})
    # Back to home, not to the page we came from: it may belong to the old agency.
    return redirect("home")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, and a logged-in user keeps the choice on their account."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.user_set_language(user=request.user, language=language)
    return response


class NotificationListView(TenantMixin, ListView):
    """My notices (the bell): escalations and the like, newest first."""

    area = Area.HOME
    template_name = "agency/notification_list.html"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Notification]:
        return selectors.notifications_for(agency=self.agency, user=self.user)


class NotificationReadView(TenantMixin, View):
    """POST: mark one notice read and open what it is about (or, without a pk, all read)."""

    area = Area.HOME
    model = Notification
    owner_lookup = "user"

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        services.notifications_mark_read(agency=self.agency, user=self.user, pk=pk)
        if pk is None:
            return redirect("notification_list")
        notice = get_tenant_object_or_404(
            selectors.notifications_for(agency=self.agency, user=self.user),
            agency=self.agency,
            pk=pk,
        )
        return redirect(notice.link or "notification_list")
