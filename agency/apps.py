from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# Django's own zh_Hans catalogue keeps the form label suffix ":" as the ASCII colon;
# naming it here puts it in ours, which gives Chinese forms the full-width "：".
gettext_noop(":")


class AgencyConfig(AppConfig):
    name = "agency"
    verbose_name = _("Agencies")
