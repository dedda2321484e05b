"""Demo agencies for `manage.py seed_demo`: idempotent, safe to run twice.

Two agencies with two branches each and a user per role; `shared.dispatcher`
belongs to both, to show agency switching. Credentials are in README.md.
"""

from dataclasses import dataclass

from django.db import transaction

from agency.models import Agency, Branch, Membership, Role, User

DEMO_PASSWORD = "hearth-demo-2026"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    default_language: str
    branches: list[tuple[str, str, str]]  # code, name, address


AGENCIES = [
    DemoAgency(
        slug="anxin",
        name="安心家政",
        default_language="zh-hans",
        branches=[
            ("chaoyang", "朝阳门店", "北京市朝阳区建国路 88 号"),
            ("haidian", "海淀门店", "北京市海淀区中关村大街 1 号"),
        ],
    ),
    DemoAgency(
        slug="sunrise",
        name="Sunrise Home Care",
        default_language="en",
        branches=[
            ("pudong", "Pudong", "100 Century Avenue, Pudong, Shanghai"),
            ("xuhui", "Xuhui", "8 Hengshan Road, Xuhui, Shanghai"),
        ],
    ),
]


@transaction.atomic
def seed() -> None:
    for spec in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            slug=spec.slug,
            defaults={"name": spec.name, "default_language": spec.default_language},
        )
        branches = [
            Branch.objects.update_or_create(
                agency=agency, code=code, defaults={"name": name, "address": address}
            )[0]
            for code, name, address in spec.branches
        ]
        for role in Role:
            # Office roles work across branches; field staff belong to one.
            branch = branches[0] if role == Role.STAFF else None
            _member(f"{agency.slug}.{role.value}", agency=agency, role=role, branch=branch)
        _member("shared.dispatcher", agency=agency, role=Role.DISPATCHER, branch=None)


def _member(username: str, *, agency: Agency, role: Role, branch: Branch | None) -> None:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@example.com",
            "first_name": username.split(".")[-1].title(),
        },
    )
    if created:
        # Only on creation: setting it again would change the hash on every run.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        agency=agency, user=user, defaults={"role": role, "branch": branch, "is_active": True}
    )
