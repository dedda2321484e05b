"""Who and what the demo history draws on: the agency's branches, priced services, staff
and office people, and the history's words in the agency's language."""

from dataclasses import dataclass, field
from decimal import Decimal

from agency.demo import in_language
from agency.models import Agency, Branch, Role, User
from complaints import policy as sla
from complaints.clock import Clock
from orders.models import Price, ServiceType
from staff.models import EmploymentStatus, StaffMember

#: Services the history books, with how often (the live-in carer would block staff for weeks).
SERVICE_WEIGHTS = {"cleaning": 6, "deep-clean": 2, "elderly": 2, "nanny": 1, "custom-repair": 1}

DISTRICTS = {
    "anxin": ("朝阳区", "海淀区", "东城区", "西城区"),
    # The staff's own districts (staff/demo.py), so the history's jobs are in their areas.
    "sunrise": ("Pudong", "Xuhui", "Jing'an", "Huangpu"),
}
#: The English agency's words for the Chinese texts of the history.
IN_ENGLISH = {
    "阿姨很细心，厨房打扫得很干净。": "Very careful; the kitchen is spotless.",
    "准时到达，服务态度很好。": "On time and friendly.",
    "非常满意，下次还找你们。": "Very happy, we will book you again.",
    "干活利索，值得推荐。": "Quick and tidy work, recommended.",
    "整体还行，卫生间角落没擦干净。": "Fine overall, but the bathroom corners were missed.",
    "比约定时间晚到了二十分钟。": "Arrived twenty minutes late.",
    "擦窗不干净，地板上有水渍。": "Streaky windows and water marks on the floor.",
    "阿姨态度不好，提前离开了。": "Unfriendly, and left early.",
    "客户反映阿姨说话不耐烦。": "The customer says the cleaner spoke impatiently.",
    "阿姨迟到四十分钟，未提前告知。": "Forty minutes late without warning.",
    "服务人员开始后仍未到岗，已通知调度员换人。": (
        "The staff member had not checked in after the start: the dispatcher was told and "
        "sent someone else."
    ),
    "未到岗，已换人。": "Did not come; replaced.",
    "打扫后垃圾未带走。": "The rubbish was left behind after cleaning.",
    "服务期间长时间打私人电话。": "Long private phone calls during the service.",
    "擦拭时划伤了实木餐桌。": "Scratched the solid-wood dining table while wiping it.",
    "厨房油烟机未清洁，与约定不符。": "The cooker hood was not cleaned, as agreed.",
    "客户找不到放在茶几上的充电器。": (
        "The customer cannot find the charger left on the coffee table."
    ),
    "希望公司给个说法。": "Wants an explanation from the company.",
    "已致电客户道歉，正在核实情况。": "Called the customer to apologise; checking what happened.",
    "已与服务人员核实，情况属实。": "Checked with the staff member: it happened as described.",
    "已确认为我方问题，安排上门处理。": (
        "Confirmed as our fault; a visit is arranged to put it right."
    ),
    "已处理完毕，客户认可处理结果。": "Put right; the customer accepts the outcome.",
    "已回访，客户无其他意见。": "Called back; the customer has nothing more to add.",
    "已致电客户道歉，安排主管上门查看。": (
        "Called the customer to apologise; a supervisor will visit."
    ),
    "下次服务前由主管交代注意事项": "The supervisor briefs the staff before the next visit",
    "客户表示满意。": "The customer is satisfied.",
    "客户觉得一般。": "The customer found it so-so.",
    "客户来电取消，已电话核实身份": "The customer called to cancel; identity checked on the phone",
    "家里临时有事，不需要了": "Something came up at home; no longer needed",
}


@dataclass(frozen=True)
class Service:
    service_type: ServiceType
    unit_price: Decimal
    weight: int


@dataclass
class Cast:
    """The agency's branches, services, staff and office people the history uses."""

    agency: Agency
    branches: list[Branch]
    services: list[Service]
    staff: list[StaffMember]
    office: User
    supervisor: User
    manager: User
    finance: User
    districts: tuple[str, ...] = ("朝阳区",)
    clocks: dict[bool, Clock] = field(default_factory=dict)

    def say(self, text: str) -> str:
        """The history's text in the agency's language: a newcomer reads one language."""
        return in_language(self.agency, text, IN_ENGLISH[text])

    def name_of(self, service_type: ServiceType) -> str:
        return in_language(self.agency, service_type.name_zh, service_type.name_en)

    @property
    def english(self) -> bool:
        return self.agency.default_language == "en"

    @classmethod
    def of(cls, agency: Agency) -> "Cast | None":
        """The demo agency's cast, or None if a part is missing (nothing to write then)."""
        users = {
            role: User.objects.filter(username=f"{agency.slug}.{role}").first() for role in Role
        }
        services = services_of(agency, SERVICE_WEIGHTS)
        branches = list(Branch.objects.filter(agency=agency, is_active=True).order_by("code"))
        office, supervisor = users[Role.DISPATCHER], users[Role.SUPERVISOR]
        manager, finance = users[Role.MANAGER], users[Role.FINANCE]
        if not (services and branches and office and supervisor and manager and finance):
            return None
        return cls(
            agency=agency,
            branches=branches,
            services=services,
            staff=list(
                StaffMember.objects.filter(agency=agency, status=EmploymentStatus.ACTIVE).order_by(
                    "pk"
                )
            ),
            office=office,
            supervisor=supervisor,
            manager=manager,
            finance=finance,
            districts=DISTRICTS.get(agency.slug, ("朝阳区",)),
        )

    def clock(self, tier: str) -> tuple[Clock, bool]:
        """The SLA clock of the tier (office hours or not), made once."""
        office_hours = sla.counts_office_hours(sla.policy_for(self.agency), tier)
        if office_hours not in self.clocks:
            self.clocks[office_hours] = sla.clock_for(self.agency, office_hours=office_hours)
        return self.clocks[office_hours], office_hours


def services_of(agency: Agency, weights: dict[str, int]) -> list[Service]:
    """The agency's services named in `weights`, each with its current unit price."""
    services = []
    for service_type in ServiceType.objects.filter(agency=agency, code__in=weights).order_by(
        "code"
    ):
        price = Price.objects.filter(service_type=service_type).order_by("-valid_during").first()
        if price is not None:
            services.append(Service(service_type, price.unit_price, weights[service_type.code]))
    return services
