"""TODO"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.backends.postgresql.psycopg_any import DateRange

from agency.models import Agency
from orders.demo.words import say_all
from orders.models import (
    Price,
    PricingUnit,
    ServiceCategory,
    ServiceType,
)


@dataclass(frozen=True)
class DemoService:
    code: str
    name_zh: str
    name_en: str
    category: str
    unit: str
    price: str
    tasks: tuple[str, ...] = ()
    preparation: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()
    special: bool = False
    #: A repair or installation: its complaints follow the warranty procedure (issue 19).
    repair: bool = False
    #: The valuables are checked with the customer before the staff leave (issue 19).
    valuables: bool = False
    #: A live-in placement sold on a three-party contract (issue 20).
    placement: bool = False


SERVICES = [
    DemoService(
        "cleaning",
        "家庭保洁",
        "Home cleaning",
        ServiceCategory.CLEANING,
        PricingUnit.HOUR,
        "50.00",
        tasks=("客厅", "卧室", "厨房", "卫生间", "阳台", "擦窗"),
        preparation=("吸尘器", "拖把", "中性清洁剂", "抹布（分色）"),
        skills=("cleaning",),
        certificates=("health",),
    ),
    DemoService(
        "deep-clean",
        "开荒保洁",
        "Deep cleaning",
        ServiceCategory.CLEANING,
        PricingUnit.SQUARE_METRE,
        "8.00",
        tasks=("除胶", "玻璃", "地面", "橱柜", "卫浴"),
        preparation=("铲刀", "除胶剂", "高空作业梯", "工业吸尘器"),
        skills=("cleaning", "deep-cleaning"),
        certificates=("health",),
        valuables=True,
    ),
    DemoService(
        "yuesao",
        "月嫂（26天）",
        "Postpartum carer (26 days)",
        ServiceCategory.POSTPARTUM,
        PricingUnit.DAY,
        "480.00",
        tasks=("产妇护理", "新生儿护理", "月子餐", "母乳喂养指导"),
        skills=("postpartum",),
        certificates=("health", "maternity-nurse"),
        placement=True,
    ),
    DemoService(
        "nanny",
        "育儿嫂",
        "Nanny",
        ServiceCategory.NANNY,
        PricingUnit.DAY,
        "260.00",
        tasks=("辅食", "早教陪玩", "洗护"),
        skills=("childcare",),
        certificates=("health", "childcare"),
        placement=True,
    ),
    DemoService(
        "elderly",
        "老人陪护",
        "Elderly companion",
        ServiceCategory.ELDERLY,
        PricingUnit.HOUR,
        "45.00",
        tasks=("陪同就医", "助餐", "助浴", "陪伴聊天"),
        skills=("elderly-care",),
        certificates=("health",),
    ),
    DemoService(
        "custom-repair",
        "定制维修",
        "Custom repair",
        ServiceCategory.REPAIR,
        PricingUnit.VISIT,
        "300.00",
        tasks=("水电检修", "门锁更换"),
        skills=("repair",),
        certificates=("electrician",),
        special=True,
    ),
    DemoService(
        "appliance-repair",
        "家电维修",
        "Appliance repair",
        ServiceCategory.REPAIR,
        PricingUnit.VISIT,
        "150.00",
        tasks=("故障检测", "更换配件", "通电试机"),
        preparation=("万用表", "常用配件"),
        skills=("repair",),
        certificates=("electrician",),
        repair=True,
    ),
]


PRICES_SINCE = date(2026, 1, 1)


def service_type(agency: Agency, spec: DemoService) -> ServiceType:
    service, _ = ServiceType.objects.update_or_create(
        agency=agency,
        code=spec.code,
        defaults={
            "name_zh": spec.name_zh,
            "name_en": spec.name_en,
            "category": spec.category,
            "pricing_unit": spec.unit,
            "task_checklist": say_all(agency, spec.tasks),
            "preparation_checklist": say_all(agency, spec.preparation),
            "required_skills": list(spec.skills),
            "required_certificates": list(spec.certificates),
            "is_special": spec.special,
            "is_repair": spec.repair,
            "valuables_check": spec.valuables,
            "is_placement": spec.placement,
        },
    )
    Price.objects.get_or_create(
        agency=agency,
        service_type=service,
        valid_during=DateRange(PRICES_SINCE, None, "[)"),
        defaults={"unit_price": Decimal(spec.price)},
    )
    return service
