"""factory_boy factories, one per tenant-owned model.

The isolation sweep (tests/test_isolation.py) finds the factory of a route's
model here, so every new tenant-owned model needs a factory in this module
or one it imports.
"""

from datetime import date, time, timedelta
from decimal import Decimal

import factory
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone

from agency.models import Agency, AuditLog, Branch, Membership, Role, User
from orders.models import (
    Assignment,
    Callback,
    Cancellation,
    CancellationStatus,
    Customer,
    CustomerAddress,
    CustomerSignature,
    NeedsForm,
    Order,
    OrderStatus,
    Price,
    PricingUnit,
    ScheduleKind,
    ServiceCategory,
    ServiceType,
    SignaturePurpose,
    SignedVia,
)
from staff.models import (
    Certificate,
    CertificateKind,
    Gender,
    StaffMember,
    StaffSkill,
    TimeOff,
    Training,
    TrainingKind,
    WorkingHours,
)

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


# --- orders -----------------------------------------------------------------

SAME_AGENCY = factory.SelfAttribute("..agency")


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"service-{n}")
    name_zh = "家庭保洁"
    name_en = "Home cleaning"
    category = ServiceCategory.CLEANING
    pricing_unit = PricingUnit.HOUR
    task_checklist = factory.LazyFunction(lambda: ["厨房", "卫生间", "客厅"])
    preparation_checklist = factory.LazyFunction(lambda: ["吸尘器", "清洁剂"])


class PriceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Price

    agency = factory.SubFactory(AgencyFactory)
    service_type = factory.SubFactory(ServiceTypeFactory, agency=SAME_AGENCY)
    unit_price = Decimal("50.00")
    valid_during = factory.LazyFunction(lambda: DateRange(date(2020, 1, 1), None, "[)"))


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"客户{n}")
    phone = factory.Sequence(lambda n: f"1380000{n:04d}")


class CustomerAddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerAddress

    agency = factory.SubFactory(AgencyFactory)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    district = "朝阳区"
    detail = "建国路 88 号 3 单元 501"


class NeedsFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsForm

    agency = factory.SubFactory(AgencyFactory)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    service_type = factory.SubFactory(ServiceTypeFactory, agency=SAME_AGENCY)
    address = factory.SubFactory(
        CustomerAddressFactory, agency=SAME_AGENCY, customer=factory.SelfAttribute("..customer")
    )
    schedule_kind = ScheduleKind.ONCE
    start_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=3))
    time_start = time(9, 0)
    time_end = time(12, 0)


class OrderFactory(factory.django.DjangoModelFactory):
    """An order as the board sees it; services build real ones, this one is for reads."""

    class Meta:
        model = Order

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"2026-{n:05d}")
    branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    needs_form = factory.SubFactory(NeedsFormFactory, agency=SAME_AGENCY)
    customer = factory.SelfAttribute("needs_form.customer")
    service_type = factory.SelfAttribute("needs_form.service_type")
    status = OrderStatus.QUOTED
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=3))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))


class CallbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Callback

    agency = factory.SubFactory(AgencyFactory)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    reason = "回电"


class CustomerSignatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CustomerSignature

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY)
    purpose = SignaturePurpose.CANCEL_ORDER
    via = SignedVia.LINK
    signed_name = "王芳"


class CancellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cancellation

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY)
    signature = factory.SubFactory(
        CustomerSignatureFactory, agency=SAME_AGENCY, order=factory.SelfAttribute("..order")
    )
    reason = "行程变更"
    price = Decimal("150.00")
    fee_percent = Decimal("10.00")
    fee = Decimal("15.00")
    refund_due = Decimal("0.00")
    status = CancellationStatus.AWAITING_APPROVAL


# --- staff --------------------------------------------------------------------


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    agency = factory.SubFactory(AgencyFactory)
    home_branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    name = factory.Sequence(lambda n: f"服务人员{n}")
    gender = Gender.FEMALE
    years_experience = 3
    started_on = date(2024, 3, 1)
    phone = factory.Sequence(lambda n: f"1590000{n:04d}")
    languages = factory.LazyFunction(lambda: ["普通话"])
    districts = factory.LazyFunction(lambda: ["朝阳区"])


class StaffSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffSkill

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    code = "cleaning"
    level = 3


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    kind = CertificateKind.HEALTH
    number = factory.Sequence(lambda n: f"JK{n:06d}")
    issued_on = date(2025, 1, 1)
    expires_on = date(2030, 1, 1)


class TrainingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Training

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    kind = TrainingKind.TRAINING
    course = "家居保洁规范"
    held_on = factory.LazyFunction(timezone.localdate)
    hours = Decimal("8.0")


class WorkingHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkingHours

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    weekday = 0
    starts = time(8, 0)
    ends = time(18, 0)


class TimeOffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimeOff

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    period = factory.LazyFunction(
        lambda: DateTimeTZRange(
            timezone.now() + timedelta(days=1), timezone.now() + timedelta(days=2)
        )
    )
    reason = "事假"


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    period = factory.LazyAttribute(lambda a: DateTimeTZRange(a.order.starts_at, a.order.ends_at))
