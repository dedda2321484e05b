"""The demo agencies' district centres (orders.intake.models.District): the districts
their customers live in, so that a check-in's position can be compared with the job's.
Brought to the same state on every run."""

from decimal import Decimal

from agency.models import Agency
from orders.models import District

#: name → (latitude, longitude, radius in km), per demo agency.
CENTRES: dict[str, dict[str, tuple[str, str, str]]] = {
    "anxin": {  # Beijing
        "朝阳区": ("39.921900", "116.443600", "8"),
        "海淀区": ("39.959900", "116.298300", "8"),
        "东城区": ("39.928800", "116.416300", "3"),
        "西城区": ("39.912300", "116.366000", "3"),
    },
    "sunrise": {  # Shanghai
        "Pudong": ("31.221500", "121.544700", "10"),
        "Xuhui": ("31.188500", "121.436500", "4"),
        "Huangpu": ("31.231700", "121.484600", "3"),
        "Jing'an": ("31.229000", "121.448000", "3"),
    },
}


def seed_districts(agency: Agency) -> None:
    for name, (latitude, longitude, radius) in CENTRES.get(agency.slug, {}).items():
        District.objects.update_or_create(
            agency=agency,
            name=name,
            defaults={
                "latitude": Decimal(latitude),
                "longitude": Decimal(longitude),
                "radius_km": Decimal(radius),
            },
        )
