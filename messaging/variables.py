"""Every variable a message template may use: its name, what it holds, and a sample.

A rule lists which of these its templates may use (messaging.rules); the editor shows
them with their labels, and the preview on an example fills in the samples. No
variable holds a customer's phone or full address, nor a staff member's phone: a
message can only carry what is named here.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Variable:
    name: str
    label: str | Promise
    sample: str


VARIABLES: dict[str, Variable] = {
    variable.name: variable
    for variable in (
        Variable("agency_name", _("the agency's name"), "安心家政"),
        Variable("customer_name", _("the customer's name"), "王女士"),
        Variable("staff_name", _("the staff member's name"), "李阿姨"),
        Variable("order_number", _("the order number"), "2026-00123"),
        Variable("service_name", _("the service"), "日常保洁"),
        Variable("job_date", _("the job's day"), "12月3日 周四"),
        Variable("job_time", _("the job's time"), "09:00–12:00"),
        Variable("job_district", _("the district of the job (never the street address)"), "徐汇区"),
        Variable("job_fee", _("the staff member's fee for the job"), "¥180.00"),
        Variable("change_summary", _("what changed"), "时间改为 10:00–13:00"),
        Variable("reason", _("the reason given"), "客户行程变更"),
        Variable("link", _("the customer's signed link"), "https://hearth.example/c/AbC123"),
        Variable("jobs_list", _("tomorrow's jobs, one a line, in order"), "09:00 徐汇区 日常保洁"),
        Variable("job_count", _("how many jobs"), "2"),
        Variable("document", _("what was signed or waits"), "验收单"),
        Variable("stage", _("the acceptance stage"), "主管复核"),
        Variable("invoice_number", _("the invoice number"), "INV-2026-0042"),
        Variable("receipt_number", _("the receipt number"), "RC-2026-0017"),
        Variable("amount", _("the amount"), "¥360.00"),
        Variable("complaint_number", _("the complaint number"), "C-2026-0008"),
        Variable("step", _("the complaint's latest step"), "已联系服务人员核实情况"),
        Variable("resolution", _("how the complaint was resolved"), "免费返工一次"),
        Variable("solution", _("the solution the customer agreed"), "部分退款：退还服务费 40.00"),
        Variable("reply_by", _("when the customer is promised a reply"), "2026-12-09 16:00"),
        Variable("escalated_to", _("who handles the complaint now"), "门店主管"),
        Variable("request_text", _("what the customer asked for"), "想改到下午"),
        Variable("dates", _("the days asked for"), "12月8日–12月10日"),
        Variable("minutes", _("minutes"), "30"),
        Variable("card_number", _("the prepaid card's number"), "2026-P000012"),
        Variable("card_name", _("the prepaid card's product"), "储值卡 充2000送200"),
        Variable("balance", _("what is left on the prepaid card"), "1,850.00 CNY"),
        Variable("incident_number", _("the incident number"), "2026-I0007"),
        Variable("incident_kind", _("what kind of incident"), "损坏客户财物"),
        Variable("valid_until", _("the prepaid card's last valid day"), "2027年12月9日"),
        Variable("document_title", _("the emergency plan's title"), "火灾应急预案"),
        Variable("review_date", _("the day the plan is due for review"), "2027年3月1日"),
        Variable("ends_on", _("the placement's last day"), "2027-01-09"),
        Variable("survey_title", _("the staff survey's title"), "2026年下半年员工满意度调查"),
        Variable("closes_on", _("the staff survey's last day"), "2026年12月23日"),
        Variable("answer", _("the supervisor's answer to a suggestion"), "已安排，下月起执行"),
    )
}
