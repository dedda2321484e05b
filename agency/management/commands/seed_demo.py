from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or refresh the demo agencies and their data; safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        # Each app seeds its own demo data in its `demo.seed()`, lowest layer
        # first (INSTALLED_APPS order), so agency never imports a higher app.
        for config in apps.get_app_configs():
            module_name = f"{config.name}.demo"
            if find_spec(module_name) is None:
                continue
            import_module(module_name).seed()
            self.stdout.write(f"seeded {config.label}")
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
