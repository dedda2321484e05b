"""factory_boy factories, one per tenant-owned model.

The isolation sweep (tests/test_isolation.py) finds the factory of a route's
model here, so every new tenant-owned model needs a factory in this module
or one it imports.
"""

import factory
from django.utils import timezone

from agency.models import Agency, AuditLog, Branch, Membership, Role, User

PASSWORD = "correct-horse-battery-staple"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    slug = factory.Sequence(lambda n: f"agency-{n}")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"b{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.DISPATCHER


class AuditLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditLog

    agency = factory.SubFactory(AgencyFactory)
    action = "branch.update"
    object_type = "agency.branch"
    object_id = "1"
    object_repr = "Branch"
    changes = factory.LazyFunction(lambda: {"name": ["Old", "New"]})
    created_at = factory.LazyFunction(timezone.now)
