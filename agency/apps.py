from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's own zh_Hans catalogue keeps the form label suffix ":" as the ASCII colon,
# and its list of endings that need no suffix (":?.!") ASCII only, so a Chinese label
# ending in "。" or "？" got "。：". Naming both here puts them in our catalogue.
gettext_noop(":")
gettext_noop(":?.!")


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = _("Agencies")
