"""Demo catalogue, customers and orders for `manage.py seed_demo`.

The catalogue is brought to the same state on every run; orders are taken
(through the real services) only for an agency that has none yet, so a second
run changes nothing.
"""

from django.db import transaction
from django.utils import translation

from agency.models import Agency
from orders.demo.bookings import book_orders
from orders.demo.catalogue import SERVICES, service_type
from orders.demo.districts import seed_districts
from orders.demo.payments import seed_payments
from orders.demo.prepaid import seed_prepaid
from orders.demo.requests import ask_for_bookings
from orders.demo.schedule import busy_week
from orders.demo.stories import bill, job_to_walk_through, late_cancellation, service_story
from orders.models import AcceptanceRound, Order


@transaction.atomic
def seed() -> None:
    for agency in Agency.objects.filter(slug__in=["anxin", "sunrise"]):
        # What the services write in words (timelines, notices) is in the agency's language.
        with translation.override(agency.default_language):
            _seed(agency)


def _seed(agency: Agency) -> None:
    services = {spec.code: service_type(agency, spec) for spec in SERVICES}
    seed_districts(agency)
    if not Order.objects.filter(agency=agency).exists():
        book_orders(agency, services)
    if not AcceptanceRound.objects.filter(agency=agency).exists():
        story = service_story(agency, services["cleaning"])
        job_to_walk_through(agency, services["cleaning"])
        if story is not None:
            bill(agency, story)
        late_cancellation(agency, services["cleaning"])
    busy_week(agency, services["cleaning"])
    ask_for_bookings(agency, services)
    seed_prepaid(agency, services["cleaning"])
    if agency.slug == "anxin":
        seed_payments(agency)
