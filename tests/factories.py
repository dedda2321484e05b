"""factory_boy factories, one per tenant-owned model.

The isolation sweep (tests/test_isolation.py) finds the factory of a route's
model here, so every new tenant-owned model needs a factory in this module
or one it imports.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.db.backends.postgresql.psycopg_any import DateRange, DateTimeTZRange
from django.utils import timezone

from agency.models import (
    Agency,
    AuditLog,
    Branch,
    Invitation,
    Membership,
    Notification,
    Role,
    User,
)
from complaints.models import (
    Attachment,
    Category,
    Checklist,
    Complaint,
    ComplaintChannel,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    Escalation,
    EscalationLevel,
    Holiday,
    Incident,
    IncidentKind,
    Inspection,
    InspectionPlan,
    OfficeHours,
    RiskDocument,
    SlaPolicy,
    Tier,
    remedies,
)
from complaints.models import EventKind as ComplaintEventKind
from feedback.models import (
    FeedbackPolicy,
    FeedbackRequest,
    FeedbackResponse,
    Revisit,
    RevisitKind,
)
from orders.models import (
    AcceptanceRound,
    Assignment,
    AssignmentStatus,
    BookingRequest,
    Callback,
    Cancellation,
    CancellationStatus,
    CardEntry,
    CardEntryKind,
    CardRefund,
    ChangeRequest,
    Customer,
    CustomerAddress,
    CustomerSignature,
    District,
    EntryKind,
    FailedItem,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    LineKind,
    NeedsForm,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    PrepaidCard,
    PrepaidProduct,
    Price,
    PricingUnit,
    ProductKind,
    Refund,
    ScheduleKind,
    ServiceCategory,
    ServiceLogEntry,
    ServiceType,
    SignaturePurpose,
    SignedVia,
    Signoff,
    Stage,
)
from orders.payments.models import ProviderAccount
from orders.payments.secrets import seal
from payroll.models import PayAdjustment, PayPeriod, PayRate, PayStatement, StatementStatus
from performance.models import Promotion
from placements.models import ContractVersion, Placement
from reports.models import ReportStatus, WeeklyReport
from staff.models import (
    Certificate,
    CertificateKind,
    Gender,
    Level,
    Penalty,
    StaffMember,
    StaffSkill,
    TimeOff,
    Training,
    TrainingKind,
    WorkingHours,
)
from voice.models import StaffSurvey, Suggestion

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


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    agency = factory.SubFactory(AgencyFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.com")
    role = Role.DISPATCHER
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda i: i.created_at + timedelta(days=7))


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


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"朝阳区{n}")
    latitude = Decimal("39.921500")
    longitude = Decimal("116.443300")


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


class BookingRequestFactory(factory.django.DjangoModelFactory):
    """A customer's booking request waiting on intake (the services check what the portal sends)."""

    class Meta:
        model = BookingRequest

    agency = factory.SubFactory(AgencyFactory)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    service_type = factory.SubFactory(ServiceTypeFactory, agency=SAME_AGENCY)
    address = factory.SubFactory(
        CustomerAddressFactory, agency=SAME_AGENCY, customer=factory.SelfAttribute("..customer")
    )
    first_day = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=2))
    time_start = time(9, 0)
    time_end = time(12, 0)
    pets = "一只猫"


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
    staff_number = factory.Sequence(lambda n: n + 1)
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


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Level

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"等级{n}")
    rank = factory.Sequence(lambda n: n % 20 + 1)


class PromotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Promotion

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    to_level = factory.SubFactory(LevelFactory, agency=SAME_AGENCY)


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


# --- service and acceptance -----------------------------------------------------


class ServiceLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceLogEntry

    agency = factory.SubFactory(AgencyFactory)
    assignment = factory.SubFactory(
        AssignmentFactory, agency=SAME_AGENCY, status=AssignmentStatus.CONFIRMED
    )
    order = factory.SelfAttribute("assignment.order")
    kind = EntryKind.NOTE
    text = "客厅地毯有旧污渍"
    author = factory.SubFactory(UserFactory)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChangeRequest

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY, status=OrderStatus.IN_SERVICE)
    description = "加做阳台 1 小时"
    service_type = factory.SelfAttribute("order.service_type")
    quantity = Decimal("1.00")
    unit = PricingUnit.HOUR
    unit_price = Decimal("50.00")
    amount = Decimal("50.00")
    currency = "CNY"
    requested_by = factory.SubFactory(UserFactory)


class AcceptanceRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AcceptanceRound

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY, status=OrderStatus.INSPECTION)
    number = 1


class SignoffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Signoff

    agency = factory.SubFactory(AgencyFactory)
    round = factory.SubFactory(AcceptanceRoundFactory, agency=SAME_AGENCY)
    stage = Stage.LEAD
    passed = False
    signer = factory.SubFactory(UserFactory)
    signer_name = "张阿姨"


class FailedItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FailedItem

    agency = factory.SubFactory(AgencyFactory)
    signoff = factory.SubFactory(SignoffFactory, agency=SAME_AGENCY)
    order = factory.SelfAttribute("signoff.round.order")
    description = "卫生间"
    responsible = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)


# --- complaints and notifications ---------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    agency = factory.SubFactory(AgencyFactory)
    user = factory.SubFactory(UserFactory)
    key = factory.Sequence(lambda n: f"test-{n}")
    title = "投诉 2026-C0001 首次回复超时"


class PenaltyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Penalty

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    amount = Decimal("50.00")
    reason = "投诉成立"
    source = factory.Sequence(lambda n: f"complaint-{n}")
    recorded_by = factory.SubFactory(UserFactory)


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    agency = factory.SubFactory(AgencyFactory)


class OfficeHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficeHours

    agency = factory.SubFactory(AgencyFactory)
    weekday = 0
    opens = time(8, 30)
    closes = time(17, 30)


class HolidayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Holiday

    agency = factory.SubFactory(AgencyFactory)
    day = date(2026, 10, 1)
    name = "国庆节"


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"2026-C{n:04d}")
    branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    channel = ComplaintChannel.PHONE
    category = Category.ATTITUDE
    tier = Tier.SOFT
    description = "服务人员态度不好"
    received_at = factory.LazyFunction(timezone.now)
    taken_by = factory.SubFactory(UserFactory)


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Incident

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"2026-I{n:04d}")
    kind = IncidentKind.DAMAGE
    branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    note = "打碎了一个花瓶"
    reported_by = factory.SubFactory(UserFactory)
    reported_at = factory.LazyFunction(timezone.now)


class ComplaintEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintEvent

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    kind = ComplaintEventKind.NOTE
    text = "已联系客户"


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    file = factory.django.FileField(filename="photo.pdf", data=b"%PDF-1.4\n%%EOF\n")
    uploaded_by = factory.SubFactory(UserFactory)


class DeadlineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deadline

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    kind = DeadlineKind.FIRST_RESPONSE
    office_hours = False
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=15))
    next_escalation_at = factory.SelfAttribute("due_at")


class SolutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = remedies.Solution

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    kind = remedies.SolutionKind.APOLOGY
    description = "书面道歉"
    offered_by = factory.SubFactory(UserFactory)


class CompensationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = remedies.Compensation

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    item = "青花瓷花瓶"
    amount = Decimal("300.00")
    payer = remedies.Payer.AGENCY
    proposed_by = factory.SubFactory(UserFactory)


class InspectionVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = remedies.InspectionVisit

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY, tier=Tier.HARD)
    scheduled_for = factory.LazyFunction(timezone.localdate)
    inspector = factory.SubFactory(UserFactory)
    scheduled_by = factory.SubFactory(UserFactory)


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    agency = factory.SubFactory(AgencyFactory)
    deadline = factory.SubFactory(DeadlineFactory, agency=SAME_AGENCY)
    complaint = factory.SelfAttribute("deadline.complaint")
    level = EscalationLevel.SUPERVISOR


# --- billing ----------------------------------------------------------------------


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    agency = factory.SubFactory(AgencyFactory)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    currency = "CNY"
    tax_rate_percent = Decimal("0.00")
    subtotal = Decimal("150.00")
    total = Decimal("150.00")
    language = "zh-hans"


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    agency = factory.SubFactory(AgencyFactory)
    invoice = factory.SubFactory(InvoiceFactory, agency=SAME_AGENCY)
    kind = LineKind.SERVICE
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY, status=OrderStatus.ACCEPTED)
    description = "家庭保洁 3 小时"
    quantity = Decimal("3.00")
    unit = PricingUnit.HOUR
    unit_price = Decimal("50.00")
    amount = Decimal("150.00")


class ChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = remedies.Charge

    agency = factory.SubFactory(AgencyFactory)
    complaint = factory.SubFactory(ComplaintFactory, agency=SAME_AGENCY)
    amount = Decimal("80.00")
    reason = "客户自行损坏地板"
    invoice = factory.SubFactory(InvoiceFactory, agency=SAME_AGENCY)
    line = factory.SubFactory(
        InvoiceLineFactory,
        agency=SAME_AGENCY,
        invoice=factory.SelfAttribute("..invoice"),
        kind=LineKind.ADJUSTMENT,
        order=None,
        reason=factory.SelfAttribute("..reason"),
        approved_by=factory.SelfAttribute("..charged_by"),
    )
    charged_by = factory.SubFactory(UserFactory)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    agency = factory.SubFactory(AgencyFactory)
    invoice = factory.SubFactory(
        InvoiceFactory,
        agency=SAME_AGENCY,
        status=InvoiceStatus.ISSUED,
        number=factory.Sequence(lambda n: f"2026-{n:06d}"),
        issued_at=factory.LazyFunction(timezone.now),
    )
    amount = Decimal("75.00")
    method = PaymentMethod.WECHAT_PAY
    received_at = factory.LazyFunction(timezone.now)
    taken_by = factory.SubFactory(UserFactory)
    receipt_number = factory.Sequence(lambda n: f"2026-R{n:06d}")


class RefundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Refund

    agency = factory.SubFactory(AgencyFactory)
    invoice = factory.SubFactory(
        InvoiceFactory,
        agency=SAME_AGENCY,
        status=InvoiceStatus.ISSUED,
        number=factory.Sequence(lambda n: f"2026-9{n:05d}"),
        issued_at=factory.LazyFunction(timezone.now),
        paid=Decimal("150.00"),
    )
    amount = Decimal("50.00")
    reason = "服务时间缩短"
    requested_by = factory.SubFactory(UserFactory)


# --- prepaid cards -------------------------------------------------------------


class PrepaidProductFactory(factory.django.DjangoModelFactory):
    """A stored-value card: pay 2,000, get 2,200, valid a year."""

    class Meta:
        model = PrepaidProduct

    agency = factory.SubFactory(AgencyFactory)
    kind = ProductKind.STORED_VALUE
    name_zh = factory.Sequence(lambda n: f"储值卡 充2000送200 {n}")
    name_en = factory.Sequence(lambda n: f"Stored-value card 2,000 + 200 {n}")
    price = Decimal("2000.00")
    credit = Decimal("2200.00")
    validity_days = 365


class PrepaidCardFactory(factory.django.DjangoModelFactory):
    """A sold card with its top-up in the ledger (what `card_sell` writes)."""

    class Meta:
        model = PrepaidCard
        skip_postgeneration_save = True

    agency = factory.SubFactory(AgencyFactory)
    number = factory.Sequence(lambda n: f"2026-P{n:06d}")
    product = factory.SubFactory(PrepaidProductFactory, agency=SAME_AGENCY)
    customer = factory.SubFactory(CustomerFactory, agency=SAME_AGENCY)
    kind = factory.SelfAttribute("product.kind")
    price_paid = factory.SelfAttribute("product.price")
    credit = factory.SelfAttribute("product.credit")
    service_type = factory.SelfAttribute("product.service_type")
    visits = factory.SelfAttribute("product.visits")
    hours_per_visit = factory.SelfAttribute("product.hours_per_visit")
    refund_fee_percent = factory.SelfAttribute("product.refund_fee_percent")
    valid_until = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=365))
    method = PaymentMethod.WECHAT_PAY
    sold_by = factory.SubFactory(UserFactory)
    sold_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=366))

    @factory.post_generation
    def topped_up(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            CardEntry.objects.create(
                agency_id=self.agency_id,
                card=self,
                kind=CardEntryKind.TOP_UP,
                amount=self.credit or 0,
                visits=self.visits or 0,
            )


class CardRefundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CardRefund

    agency = factory.SubFactory(AgencyFactory)
    card = factory.SubFactory(PrepaidCardFactory, agency=SAME_AGENCY, status="refunding")
    refundable = Decimal("2000.00")
    fee = Decimal("0.00")
    amount = Decimal("2000.00")
    reason = "搬家了"
    requested_by = factory.SubFactory(UserFactory)


class ProviderAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderAccount

    agency = factory.SubFactory(AgencyFactory)
    provider = "alipay"
    merchant_id = factory.Sequence(lambda n: f"20210000{n:08d}")
    provider_public_key = "-----BEGIN PUBLIC KEY-----"
    private_key_encrypted = factory.LazyFunction(lambda: seal("a sealed secret"))


# --- feedback -------------------------------------------------------------------


class FeedbackPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackPolicy

    agency = factory.SubFactory(AgencyFactory)


class FeedbackRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackRequest

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY, status=OrderStatus.ACCEPTED)
    customer = factory.SelfAttribute("order.customer")
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackResponse

    agency = factory.SubFactory(AgencyFactory)
    request = factory.SubFactory(FeedbackRequestFactory, agency=SAME_AGENCY)
    quality = 5
    attitude = 5
    punctuality = 4
    professionalism = 5
    overall = 5


class RevisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Revisit

    agency = factory.SubFactory(AgencyFactory)
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY)
    customer = factory.SelfAttribute("order.customer")
    kind = RevisitKind.SATISFACTION_CALL
    source = factory.Sequence(lambda n: f"test-{n}")
    due_at = factory.LazyFunction(timezone.now)


# --- reports --------------------------------------------------------------------


class WeeklyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyReport

    agency = factory.SubFactory(AgencyFactory)
    week = date(2026, 11, 16)
    language = "zh-hans"
    status = ReportStatus.READY
    pdf = factory.django.FileField(filename="weekly.pdf", data=b"%PDF-1.7 test")


class ChecklistFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Checklist

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"质检表{n}")


class InspectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    agency = factory.SubFactory(AgencyFactory)
    kind = "monthly"
    starts_on = date(2026, 12, 1)
    branch = factory.SubFactory(BranchFactory, agency=SAME_AGENCY)
    checklist = factory.SubFactory(ChecklistFactory, agency=SAME_AGENCY)
    jobs_planned = 3


class InspectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Inspection

    agency = factory.SubFactory(AgencyFactory)
    kind = "spot"
    order = factory.SubFactory(OrderFactory, agency=SAME_AGENCY)
    branch = factory.SelfAttribute("order.branch")
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    checklist = factory.SubFactory(ChecklistFactory, agency=SAME_AGENCY)
    inspector = factory.SubFactory(UserFactory)
    inspected_at = factory.LazyFunction(timezone.now)
    score = 8
    max_score = 10
    percent = Decimal("80.00")


class RiskDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskDocument

    agency = factory.SubFactory(AgencyFactory)
    kind = "fire"
    title = factory.Sequence(lambda n: f"应急预案{n}")
    plan_text = "拨打119。"
    owner = factory.SubFactory(UserFactory)
    review_by = date(2027, 3, 1)


def placement_order(
    agency: Agency, *, staff: StaffMember | None = None, assign: bool = True
) -> Order:
    """A 26-day 月嫂 placement order from 15 December 2026, 08:00–20:00 each day; with
    `assign`, its staff member (`staff` or a new one) confirmed."""
    service = ServiceTypeFactory(
        agency=agency,
        code=f"yuesao-{ServiceType.objects.count()}",
        name_zh="月嫂",
        name_en="Maternity nurse",
        category=ServiceCategory.POSTPARTUM,
        pricing_unit=PricingUnit.DAY,
        is_placement=True,
    )
    needs = NeedsFormFactory(
        agency=agency,
        service_type=service,
        schedule_kind=ScheduleKind.LIVE_IN,
        start_date=date(2026, 12, 15),
        days=26,
        end_date=date(2027, 1, 9),
        time_start=time(8, 0),
        time_end=time(20, 0),
    )
    zone = agency.zone
    placed = OrderFactory(
        agency=agency,
        needs_form=needs,
        status=OrderStatus.ASSIGNED if assign else OrderStatus.CONFIRMED,
        starts_at=datetime(2026, 12, 15, 8, tzinfo=zone),
        ends_at=datetime(2027, 1, 9, 20, tzinfo=zone),
    )
    if assign:
        AssignmentFactory(
            agency=agency,
            order=placed,
            staff=staff or StaffMemberFactory(agency=agency, accepts_live_in=True),
            status=AssignmentStatus.CONFIRMED,
        )
    return placed


class PlacementFactory(factory.django.DjangoModelFactory):
    """A placement with complete terms on `placement_order`'s order (its dates)."""

    class Meta:
        model = Placement

    agency = factory.SubFactory(AgencyFactory)
    order = factory.LazyAttribute(lambda p: placement_order(p.agency))
    starts_on = date(2026, 12, 15)
    ends_on = date(2027, 1, 9)
    trial_days = 3
    price = Decimal("16800.00")
    price_period = "term"
    wage = Decimal("12000.00")
    wage_paid_by = "agency"
    service_fee = Decimal("2800.00")
    deposit = Decimal("2000.00")
    days_off_per_month = 0
    free_replacements = 2


def contract_version_for(
    customer: Customer, *, number: int = 1, status: str = "out", signed: bool = False
) -> ContractVersion:
    """A contract version of a new placement of `customer`'s, with its PDF (and the final
    signed one when `signed`); bytes stand in for the rendered PDFs."""
    placement = PlacementFactory(agency=customer.agency)
    Order.objects.filter(pk=placement.order_id).update(customer=customer)
    NeedsForm.objects.filter(pk=placement.order.needs_form_id).update(customer=customer)
    version = ContractVersion(
        agency=customer.agency,
        placement=placement,
        number=number,
        kind="original",
        status=status,
        sent_at=timezone.now(),
    )
    version.document.save("contract.pdf", ContentFile(b"%PDF-1.4 out"), save=False)
    if signed:
        version.final_document.save("signed.pdf", ContentFile(b"%PDF-1.4 signed"), save=False)
        version.signed_at = timezone.now()
    version.save()
    return version


# --- payroll -----------------------------------------------------------------------


class PayRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayRate

    agency = factory.SubFactory(AgencyFactory)
    service_type = factory.SubFactory(ServiceTypeFactory, agency=SAME_AGENCY)
    kind = "piece"
    amount = Decimal("120.00")


class PayPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayPeriod

    agency = factory.SubFactory(AgencyFactory)
    starts_on = date(2026, 11, 1)
    ends_on = date(2026, 11, 30)


class PayAdjustmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PayAdjustment

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    kind = "reward"
    reason = "praise"
    amount = Decimal("50.00")
    note = "顾客来信表扬"


def served_job(
    staff: StaffMember, *, starts_at: datetime, hours: float = 3, checked: bool = True
) -> Assignment:
    """A confirmed assignment of `staff` on an accepted order at `starts_at`; with its
    check-in and check-out on time when `checked`."""
    order = OrderFactory(
        agency=staff.agency,
        status=OrderStatus.ACCEPTED,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=hours),
    )
    return AssignmentFactory(
        agency=staff.agency,
        order=order,
        staff=staff,
        status=AssignmentStatus.CONFIRMED,
        arrived_at=order.starts_at if checked else None,
        left_at=order.ends_at if checked else None,
    )


class PayStatementFactory(factory.django.DjangoModelFactory):
    """An approved statement of November 2026 without lines (add PayLine rows as needed)."""

    class Meta:
        model = PayStatement

    agency = factory.SubFactory(AgencyFactory)
    # November's period, shared by the agency's statements (one period per month).
    period = factory.LazyAttribute(
        lambda o: PayPeriod.objects.get_or_create(
            agency=o.agency, starts_on=date(2026, 11, 1), defaults={"ends_on": date(2026, 11, 30)}
        )[0]
    )
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    status = StatementStatus.APPROVED
    language = "zh-hans"
    earnings = Decimal("300.00")
    deductions = Decimal("0.00")
    net = Decimal("300.00")
    computed_at = factory.LazyFunction(timezone.now)
    approved_at = factory.LazyFunction(timezone.now)


# --- the staff's own voice ----------------------------------------------------------


class StaffSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffSurvey

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"员工满意度调查 {n}")
    opens_on = date(2026, 12, 9)
    closes_on = date(2026, 12, 23)


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    agency = factory.SubFactory(AgencyFactory)
    staff = factory.SubFactory(StaffMemberFactory, agency=SAME_AGENCY)
    branch = factory.SelfAttribute("staff.home_branch")
    text = "希望冬天能配发护手霜。"
