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
    #: What its invoices say about it (Agency's billing fields).
    letterhead: dict[str, str]
    #: The people behind the demo logins, by role: they sign PDFs, receipts and logs.
    people: dict[Role, str]


AGENCIES = [
    DemoAgency(
        slug="anxin",
        name="安心家政",
        default_language="zh-hans",
        branches=[
            ("chaoyang", "朝阳门店", "北京市朝阳区建国路 88 号"),
            ("haidian", "海淀门店", "北京市海淀区中关村大街 1 号"),
        ],
        letterhead={
            "legal_name": "北京安心家政服务有限公司",
            "address": "北京市朝阳区建国路 88 号 2 层",
            "phone": "010-8888 6666",
            "tax_number": "91110105MA00000X1A",
            "bank_account": "中国工商银行北京建国路支行 0200 0000 0000 0000 001",
        },
        people={
            Role.MANAGER: "王建华",
            Role.SUPERVISOR: "李娟",
            Role.DISPATCHER: "张敏",
            Role.FINANCE: "刘佳",
            Role.STAFF: "张丽",
        },
    ),
    DemoAgency(
        slug="sunrise",
        name="Sunrise Home Care",
        default_language="en",
        branches=[
            ("pudong", "Pudong", "100 Century Avenue, Pudong, Shanghai"),
            ("xuhui", "Xuhui", "8 Hengshan Road, Xuhui, Shanghai"),
        ],
        letterhead={
            "legal_name": "Sunrise Home Care (Shanghai) Co., Ltd.",
            "address": "100 Century Avenue, Pudong, Shanghai",
            "phone": "021-6666 8888",
            "tax_number": "91310115MA00000Y2B",
            "bank_account": "Bank of China, Pudong Branch, 4400 0000 0000 0002",
        },
        people={
            Role.MANAGER: "Grace Chen",
            Role.SUPERVISOR: "David Wu",
            Role.DISPATCHER: "Amy Lin",
            Role.FINANCE: "Helen Zhou",
            Role.STAFF: "Zhang Li",
        },
    ),
]
#: `shared.dispatcher` works for both agencies; the name in pinyin reads in both.
SHARED_DISPATCHER = "Zhao Lei"


def in_language(agency: Agency, zh: str, en: str) -> str:
    """The demo's text in the agency's own language: a newcomer reads one language."""
    return en if agency.default_language == "en" else zh


@transaction.atomic
def seed() -> None:
    for spec in AGENCIES:
        agency, _ = Agency.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "default_language": spec.default_language,
                **spec.letterhead,
            },
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
            _member(
                f"{agency.slug}.{role.value}",
                name=spec.people[role],
                agency=agency,
                role=role,
                branch=branch,
            )
        _member(
            "shared.dispatcher",
            name=SHARED_DISPATCHER,
            agency=agency,
            role=Role.DISPATCHER,
            branch=None,
        )


def _member(username: str, *, name: str, agency: Agency, role: Role, branch: Branch | None) -> None:
    # The whole name in `first_name`: a Chinese name has no "first last" order to split.
    user, created = User.objects.update_or_create(
        username=username,
        defaults={"email": f"{username}@example.com", "first_name": name, "last_name": ""},
    )
    if created:
        # Only on creation: setting it again would change the hash on every run.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.update_or_create(
        agency=agency, user=user, defaults={"role": role, "branch": branch, "is_active": True}
    )
