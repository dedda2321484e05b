"""The staff member's own pay on the phone (issue 21, Area.MY_PAY): their approved and paid
statements, one statement's lines, its PDF; a draft is never shown to them, and another
person's statement answers 404. Also finance's download of any statement's PDF."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.views import View
from django.views.generic import DetailView, TemplateView

from agency.documents import document_response
from agency.permissions import Area
from agency.tenant_views import TenantMixin, TenantObjectMixin
from payroll.models import PayStatement
from payroll.pdf import staff_number_label, statement_document
from payroll.selectors import own_statements, statement_with_lines, statements_of_staff
from staff.models import StaffMember


class MyPayView(TenantMixin, TemplateView):
    area = Area.MY_PAY
    template_name = "payroll/my/list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        profile = StaffMember.objects.filter(agency=self.agency, user=self.user).first()
        statements = list(statements_of_staff(staff=profile)) if profile else []
        return super().get_context_data(
            has_profile=profile is not None,
            statements=statements,
            currency=self.agency.currency,
            **kwargs,
        )


class OwnStatementMixin(TenantObjectMixin):
    """One of the requesting staff user's own approved or paid statements; anyone else's,
    or a draft, answers 404."""

    area = Area.MY_PAY
    model = PayStatement
    #: The isolation sweep makes "own" objects belong to the requesting user through this.
    owner_lookup = "staff__user"

    def get_queryset(self) -> QuerySet[PayStatement]:
        own = own_statements(agency=self.agency, user=self.user)
        return statement_with_lines(agency=self.agency).filter(pk__in=own.values("pk"))


class MyPayStatementView(OwnStatementMixin, DetailView):
    template_name = "payroll/my/detail.html"
    context_object_name = "statement"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        statement: PayStatement = self.object
        return super().get_context_data(
            lines=list(statement.lines.all()),
            staff_number=staff_number_label(statement.staff.staff_number),
            currency=self.agency.currency,
            **kwargs,
        )


class MyPayStatementPdfView(OwnStatementMixin, View):
    """The statement's PDF, in the language it was computed in (agency.documents)."""

    def get_queryset(self) -> QuerySet[PayStatement]:
        return own_statements(agency=self.agency, user=self.user).select_related("staff")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return document_response(request, key=statement_document(self.object))


class StatementPdfView(TenantObjectMixin, View):
    """Finance's download of a statement's PDF, a draft too (watermarked)."""

    area = Area.PAYROLL
    model = PayStatement

    def get_queryset(self) -> QuerySet[PayStatement]:
        return PayStatement.objects.filter(agency=self.agency).select_related("period", "staff")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return document_response(request, key=statement_document(self.object))
