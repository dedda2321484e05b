from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # The worker builds these documents; by path, so a web process never imports them.
        from agency import documents

        documents.register("invoice", "orders.billing.documents.build_invoice")
        documents.register("receipt", "orders.billing.documents.build_receipt")
        documents.register("acceptance_record", "orders.service.documents.build_acceptance_record")

        # The message templates page previews on a real order (messaging may not import
        # orders, so orders hands it the finder).
        from messaging.examples import register
        from orders.messages import preview_example

        register(preview_example)
