from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayrollConfig(AppConfig):
    name = "payroll"
    verbose_name = _("Payroll")

    def ready(self) -> None:
        # The worker builds the statements' PDFs; by path, so a web process never imports it.
        from agency import documents

        documents.register("pay_statement", "payroll.pdf.build_statement")
