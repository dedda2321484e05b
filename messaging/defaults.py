"""The words every rule ships with, in both languages (a manager may reword them).

`DEFAULTS[rule code][language]` is (subject, body). The subject heads an email and an
in-app notice; an SMS carries the body only, after the agency's signature 【…】, which
the renderer adds (messaging.rendering), so no text here repeats it.
"""

ZH = "zh-hans"
EN = "en"

DEFAULTS: dict[str, dict[str, tuple[str, str]]] = {
    "job.proposed:staff": {
        ZH: (
            "新工单待确认 {{ order_number }}",
            "{{ staff_name }}您好，为您安排了新工单 {{ order_number }}：{{ job_date }} "
            "{{ job_time }}，{{ job_district }}，{{ service_name }}。"
            "请在手机端“我的工单”确认接单。",
        ),
        EN: (
            "New job to acknowledge: {{ order_number }}",
            "Hello {{ staff_name }}, you are proposed for job {{ order_number }}: {{ job_date }} "
            "{{ job_time }}, {{ job_district }}, {{ service_name }}. "
            "Please acknowledge it under My jobs.",
        ),
    },
    "job.assigned:staff": {
        ZH: (
            "工单已派给您 {{ order_number }}",
            "{{ staff_name }}您好，工单 {{ order_number }} 已派给您：{{ job_date }} "
            "{{ job_time }}，{{ job_district }}，{{ service_name }}。"
            "请在“我的工单”确认接单。",
        ),
        EN: (
            "Job assigned to you: {{ order_number }}",
            "Hello {{ staff_name }}, job {{ order_number }} is yours: {{ job_date }} "
            "{{ job_time }}, {{ job_district }}, {{ service_name }}. "
            "Please acknowledge it under My jobs.",
        ),
    },
    "job.changed:staff": {
        ZH: (
            "工单有变更 {{ order_number }}",
            "{{ staff_name }}您好，工单 {{ order_number }}（{{ job_date }} {{ job_time }}，"
            "{{ job_district }}）有变更：{{ change_summary }}。",
        ),
        EN: (
            "Job changed: {{ order_number }}",
            "Hello {{ staff_name }}, job {{ order_number }} ({{ job_date }} {{ job_time }}, "
            "{{ job_district }}) changed: {{ change_summary }}.",
        ),
    },
    "job.cancelled:staff": {
        ZH: (
            "工单已取消 {{ order_number }}",
            "{{ staff_name }}您好，{{ job_date }} {{ job_time }} 的工单 {{ order_number }}"
            "（{{ job_district }}）已取消{% if reason %}：{{ reason }}{% endif %}。",
        ),
        EN: (
            "Job cancelled: {{ order_number }}",
            "Hello {{ staff_name }}, job {{ order_number }} on {{ job_date }} {{ job_time }} "
            "({{ job_district }}) is cancelled{% if reason %}: {{ reason }}{% endif %}.",
        ),
    },
    "job.replaced:staff": {
        ZH: (
            "您已不再负责工单 {{ order_number }}",
            "{{ staff_name }}您好，{{ job_date }} {{ job_time }} 的工单 {{ order_number }} "
            "已改派他人{% if reason %}：{{ reason }}{% endif %}，您无需前往。",
        ),
        EN: (
            "You are off job {{ order_number }}",
            "Hello {{ staff_name }}, job {{ order_number }} on {{ job_date }} {{ job_time }} "
            "went to someone else{% if reason %}: {{ reason }}{% endif %}. No need to go.",
        ),
    },
    "jobs.tomorrow:staff": {
        ZH: (
            "明日工单（{{ job_count }}单）",
            "{{ staff_name }}您好，明天 {{ job_date }} 您有 {{ job_count }} 单：\n{{ jobs_list }}",
        ),
        EN: (
            "Tomorrow's jobs ({{ job_count }})",
            "Hello {{ staff_name }}, tomorrow, {{ job_date }}, you have {{ job_count }} "
            "job(s):\n{{ jobs_list }}",
        ),
    },
    "order.confirmed:customer": {
        ZH: (
            "预约已确认 {{ order_number }}",
            "{{ customer_name }}您好，您预约的{{ service_name }}已确认：{{ job_date }} "
            "{{ job_time }}，订单号 {{ order_number }}。",
        ),
        EN: (
            "Booking confirmed: {{ order_number }}",
            "Dear {{ customer_name }}, your {{ service_name }} is confirmed for {{ job_date }} "
            "{{ job_time }}. Order {{ order_number }}.",
        ),
    },
    "order.staff_card:customer": {
        ZH: (
            "服务人员信息 {{ order_number }}",
            "{{ customer_name }}您好，{{ job_date }} 为您服务的是{{ staff_name }}，"
            "服务人员名片请查看：{{ link }}",
        ),
        EN: (
            "Your staff member for {{ order_number }}",
            "Dear {{ customer_name }}, {{ staff_name }} will serve you on {{ job_date }}. "
            "Their card: {{ link }}",
        ),
    },
    "order.day_before:customer": {
        ZH: (
            "明日服务确认 {{ order_number }}",
            "{{ customer_name }}您好，明天 {{ job_time }} {{ staff_name }}将为您提供"
            "{{ service_name }}。请点击确认或提出变更：{{ link }}",
        ),
        EN: (
            "Tomorrow's service: {{ order_number }}",
            "Dear {{ customer_name }}, {{ staff_name }} comes tomorrow at {{ job_time }} for "
            "your {{ service_name }}. Confirm or ask for a change: {{ link }}",
        ),
    },
    "order.moved:customer": {
        ZH: (
            "预约时间已变更 {{ order_number }}",
            "{{ customer_name }}您好，您的{{ service_name }}（{{ order_number }}）已改到 "
            "{{ job_date }} {{ job_time }}。如有疑问请联系我们。",
        ),
        EN: (
            "Your booking moved: {{ order_number }}",
            "Dear {{ customer_name }}, your {{ service_name }} ({{ order_number }}) now takes "
            "place on {{ job_date }} {{ job_time }}. Call us with any question.",
        ),
    },
    "booking_request.declined:customer": {
        ZH: (
            "预约未能受理",
            "{{ customer_name }}您好，很抱歉，您 {{ job_date }} 的{{ service_name }}预约未能受理："
            "{{ reason }}。如有疑问请联系我们。",
        ),
        EN: (
            "We cannot take your booking request",
            "Dear {{ customer_name }}, we are sorry: we cannot take your request for "
            "{{ service_name }} on {{ job_date }}: {{ reason }}. Call us with any question.",
        ),
    },
    "job.on_the_way:customer": {
        ZH: (
            "服务人员已出发",
            "{{ customer_name }}您好，{{ staff_name }}已出发，前往为您提供{{ service_name }}。",
        ),
        EN: (
            "Your staff member is on the way",
            "Dear {{ customer_name }}, {{ staff_name }} has set out for your {{ service_name }}.",
        ),
    },
    "job.arrived:customer": {
        ZH: (
            "服务人员已到达",
            "{{ customer_name }}您好，{{ staff_name }}已到达并开始服务"
            "（订单 {{ order_number }}）。",
        ),
        EN: (
            "Your staff member has arrived",
            "Dear {{ customer_name }}, {{ staff_name }} has arrived and started "
            "(order {{ order_number }}).",
        ),
    },
    "acceptance.to_sign:customer": {
        ZH: (
            "请验收签字 {{ order_number }}",
            "{{ customer_name }}您好，订单 {{ order_number }} 的服务已完成，"
            "请验收并签字：{{ link }}",
        ),
        EN: (
            "Please sign the acceptance: {{ order_number }}",
            "Dear {{ customer_name }}, the service of order {{ order_number }} is done. "
            "Please check and sign: {{ link }}",
        ),
    },
    "invoice.issued:customer": {
        ZH: (
            "账单 {{ invoice_number }}",
            "{{ customer_name }}您好，订单 {{ order_number }} 的账单 {{ invoice_number }} "
            "已开具，金额 {{ amount }}：{{ link }}",
        ),
        EN: (
            "Invoice {{ invoice_number }}",
            "Dear {{ customer_name }}, invoice {{ invoice_number }} for order "
            "{{ order_number }} is issued, {{ amount }}: {{ link }}",
        ),
    },
    "payment.received:customer": {
        ZH: (
            "收款确认 {{ receipt_number }}",
            "{{ customer_name }}您好，已收到您的付款 {{ amount }}，"
            "收据 {{ receipt_number }}：{{ link }}",
        ),
        EN: (
            "Payment received: {{ receipt_number }}",
            "Dear {{ customer_name }}, we received your payment of {{ amount }}. "
            "Receipt {{ receipt_number }}: {{ link }}",
        ),
    },
    "refund.approved:customer": {
        ZH: (
            "退款已批准",
            "{{ customer_name }}您好，订单 {{ order_number }} 的退款 {{ amount }} 已批准，"
            "将按原付款方式退回。",
        ),
        EN: (
            "Refund approved",
            "Dear {{ customer_name }}, your refund of {{ amount }} for order {{ order_number }} "
            "is approved and goes back the way you paid.",
        ),
    },
    "refund.paid:customer": {
        ZH: (
            "退款已退回",
            "{{ customer_name }}您好，订单 {{ order_number }} 的退款 {{ amount }} 已退回，请查收。",
        ),
        EN: (
            "Refund paid",
            "Dear {{ customer_name }}, your refund of {{ amount }} for order {{ order_number }} "
            "has been paid.",
        ),
    },
    "prepaid.expiring:customer": {
        ZH: (
            "储值卡即将到期",
            "{{ customer_name }}您好，您的{{ card_name }}（卡号 {{ card_number }}）"
            "将于 {{ valid_until }} 到期，剩余 {{ balance }}，请在到期前使用。",
        ),
        EN: (
            "Your prepaid card expires soon",
            "Dear {{ customer_name }}, your {{ card_name }} ({{ card_number }}) expires on "
            "{{ valid_until }} with {{ balance }} left: use it before then.",
        ),
    },
    "complaint.received:customer": {
        ZH: (
            "投诉已受理 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉已受理（{{ complaint_number }}），"
            "我们会尽快处理并告知进展。",
        ),
        EN: (
            "Complaint received: {{ complaint_number }}",
            "Dear {{ customer_name }}, we have your complaint ({{ complaint_number }}) and "
            "will keep you informed of its progress.",
        ),
    },
    "complaint.step:customer": {
        ZH: (
            "投诉进展 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉 {{ complaint_number }} 有新进展：{{ step }}",
        ),
        EN: (
            "Complaint update: {{ complaint_number }}",
            "Dear {{ customer_name }}, an update on your complaint {{ complaint_number }}: "
            "{{ step }}",
        ),
    },
    "complaint.resolved:customer": {
        ZH: (
            "投诉已处理 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉 {{ complaint_number }} 已处理：{{ resolution }}。"
            "感谢您的反馈。",
        ),
        EN: (
            "Complaint resolved: {{ complaint_number }}",
            "Dear {{ customer_name }}, your complaint {{ complaint_number }} is resolved: "
            "{{ resolution }}. Thank you for telling us.",
        ),
    },
    "complaint.solution:customer": {
        ZH: (
            "投诉处理方案 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉 {{ complaint_number }} "
            "已商定处理方案：{{ solution }}",
        ),
        EN: (
            "Complaint solution agreed: {{ complaint_number }}",
            "Dear {{ customer_name }}, the solution agreed for your complaint "
            "{{ complaint_number }}: {{ solution }}",
        ),
    },
    "complaint.reply_promised:customer": {
        ZH: (
            "投诉答复时间 {{ complaint_number }}",
            "{{ customer_name }}您好，关于您的投诉 {{ complaint_number }}，"
            "我们将在 {{ reply_by }} 前答复您。",
        ),
        EN: (
            "When we answer: {{ complaint_number }}",
            "Dear {{ customer_name }}, we will answer you about your complaint "
            "{{ complaint_number }} by {{ reply_by }}.",
        ),
    },
    "complaint.escalated:customer": {
        ZH: (
            "投诉已升级 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉 {{ complaint_number }} 已升级，"
            "现由{{ escalated_to }}处理。",
        ),
        EN: (
            "Complaint escalated: {{ complaint_number }}",
            "Dear {{ customer_name }}, your complaint {{ complaint_number }} is escalated: "
            "{{ escalated_to }} handles it now.",
        ),
    },
    "complaint.closed:customer": {
        ZH: (
            "投诉已结案 {{ complaint_number }}",
            "{{ customer_name }}您好，您的投诉 {{ complaint_number }} 已结案。感谢您的反馈。",
        ),
        EN: (
            "Complaint closed: {{ complaint_number }}",
            "Dear {{ customer_name }}, your complaint {{ complaint_number }} is closed. "
            "Thank you for telling us.",
        ),
    },
    "order.customer_signed:office": {
        ZH: (
            "客户已签字：{{ order_number }} {{ document }}",
            "{{ customer_name }} 已签署订单 {{ order_number }} 的{{ document }}。",
        ),
        EN: (
            "Customer signed: {{ order_number }} {{ document }}",
            "{{ customer_name }} signed the {{ document }} of order {{ order_number }}.",
        ),
    },
    "acceptance.stage:office": {
        ZH: (
            "验收待您审核：{{ order_number }}",
            "订单 {{ order_number }}（{{ customer_name }}）的验收环节“{{ stage }}”等待您处理。",
        ),
        EN: (
            "Acceptance waits for you: {{ order_number }}",
            "The acceptance stage “{{ stage }}” of order {{ order_number }} "
            "({{ customer_name }}) waits for you.",
        ),
    },
    "staff.time_off:office": {
        ZH: (
            "请假申请：{{ staff_name }}",
            "{{ staff_name }} 申请请假 {{ dates }}{% if reason %}：{{ reason }}{% endif %}。",
        ),
        EN: (
            "Time off requested: {{ staff_name }}",
            "{{ staff_name }} asks for time off {{ dates }}"
            "{% if reason %}: {{ reason }}{% endif %}.",
        ),
    },
    "order.change_asked:office": {
        ZH: (
            "客户要求变更：{{ order_number }}",
            "{{ customer_name }} 在服务前一天的确认链接中要求变更订单 {{ order_number }}"
            "（{{ job_date }} {{ job_time }}）：{{ request_text }}",
        ),
        EN: (
            "Change asked: {{ order_number }}",
            "{{ customer_name }} asked on the day-before link to change order {{ order_number }} "
            "({{ job_date }} {{ job_time }}): {{ request_text }}",
        ),
    },
    "job.declined:office": {
        ZH: (
            "服务人员拒单：{{ order_number }}",
            "{{ staff_name }} 拒绝了工单 {{ order_number }}（{{ job_date }} {{ job_time }}）"
            "{% if reason %}：{{ reason }}{% endif %}，请重新派单。",
        ),
        EN: (
            "Job declined: {{ order_number }}",
            "{{ staff_name }} declined job {{ order_number }} ({{ job_date }} {{ job_time }})"
            "{% if reason %}: {{ reason }}{% endif %}. Please assign someone else.",
        ),
    },
    "job.not_acknowledged:office": {
        ZH: (
            "工单未确认：{{ order_number }}",
            "{{ staff_name }} 在 {{ minutes }} 分钟内未确认工单 {{ order_number }}"
            "（{{ job_date }} {{ job_time }}），请跟进。",
        ),
        EN: (
            "Job not acknowledged: {{ order_number }}",
            "{{ staff_name }} has not acknowledged job {{ order_number }} ({{ job_date }} "
            "{{ job_time }}) within {{ minutes }} minutes. Please follow up.",
        ),
    },
    "job.late:office": {
        ZH: (
            "迟到：{{ order_number }}",
            "{{ staff_name }} 在工单 {{ order_number }}（{{ job_date }} {{ job_time }}）"
            "迟到 {{ minutes }} 分钟到岗。",
        ),
        EN: (
            "Late: {{ order_number }}",
            "{{ staff_name }} checked in {{ minutes }} minutes late for job {{ order_number }} "
            "({{ job_date }} {{ job_time }}).",
        ),
    },
    "job.no_show:office": {
        ZH: (
            "未到岗：{{ order_number }}",
            "{{ staff_name }} 在工单 {{ order_number }}（{{ job_date }} {{ job_time }}）"
            "开始 {{ minutes }} 分钟后仍未到岗，请立即联系或换人。",
        ),
        EN: (
            "No-show: {{ order_number }}",
            "{{ staff_name }} has not checked in {{ minutes }} minutes after the start of job "
            "{{ order_number }} ({{ job_date }} {{ job_time }}). Please call them or replace them.",
        ),
    },
    "message.failed:office": {
        ZH: (
            "短信发送失败：{{ customer_name }}",
            "发给 {{ customer_name }}（订单 {{ order_number }}）的短信多次发送失败：{{ reason }}。"
            "请电话联系客户。",
        ),
        EN: (
            "Text not delivered: {{ customer_name }}",
            "A text to {{ customer_name }} (order {{ order_number }}) failed after every "
            "try: {{ reason }}. Please call the customer.",
        ),
    },
    "risk.review_due:office": {
        ZH: (
            "应急预案待复核：{{ document_title }}",
            "应急预案「{{ document_title }}」应于 {{ review_date }} 前复核，请您及时更新。",
        ),
        EN: (
            "Emergency plan due for review: {{ document_title }}",
            'The emergency plan "{{ document_title }}" is due for review by {{ review_date }}; '
            "please review and update it.",
        ),
    },
    "incident.reported:office": {
        ZH: (
            "紧急：事故上报 {{ incident_number }}",
            "事故 {{ incident_number }}（{{ incident_kind }}）由 {{ staff_name }} 上报"
            "{% if order_number %}，订单 {{ order_number }}{% endif %}，请立即处理。",
        ),
        EN: (
            "Urgent: incident {{ incident_number }}",
            "Incident {{ incident_number }} ({{ incident_kind }}) reported by {{ staff_name }}"
            "{% if order_number %} on order {{ order_number }}{% endif %}: please act now.",
        ),
    },
    "valuables.to_confirm:customer": {
        ZH: (
            "请确认贵重物品 {{ order_number }}",
            "{{ customer_name }}您好，服务人员离开前已核对贵重物品（订单 {{ order_number }}），"
            "请点击确认：{{ link }}",
        ),
        EN: (
            "Please confirm your valuables: {{ order_number }}",
            "Dear {{ customer_name }}, our staff checked your valuables before leaving "
            "(order {{ order_number }}). Please confirm: {{ link }}",
        ),
    },
    "placement.trial_ends:customer": {
        ZH: (
            "试用期结束 {{ order_number }}",
            "{{ customer_name }}您好，{{ staff_name }}的试用期今天结束（订单 {{ order_number }}），"
            "请告诉我们您是否满意或需要换人：{{ link }}",
        ),
        EN: (
            "Your trial period ends: {{ order_number }}",
            "Dear {{ customer_name }}, {{ staff_name }}'s trial period ends today "
            "(order {{ order_number }}). Keep them or ask for a replacement: {{ link }}",
        ),
    },
    "placement.renewal:customer": {
        ZH: (
            "服务即将到期 {{ order_number }}",
            "{{ customer_name }}您好，您的服务（订单 {{ order_number }}）将于 {{ ends_on }} 结束，"
            "如需续约请联系我们。",
        ),
        EN: (
            "Your placement ends soon: {{ order_number }}",
            "Dear {{ customer_name }}, your placement (order {{ order_number }}) ends on "
            "{{ ends_on }}. Contact us to renew it.",
        ),
    },
    "placement.renewal:office": {
        ZH: (
            "续约提醒 {{ order_number }}",
            "{{ customer_name }}的服务（订单 {{ order_number }}）将于 {{ ends_on }} 结束，"
            "请联系客户续约。",
        ),
        EN: (
            "Renewal: {{ order_number }}",
            "{{ customer_name }}'s placement (order {{ order_number }}) ends on {{ ends_on }}: "
            "ask about a renewal.",
        ),
    },
    "placement.contract_to_sign:customer": {
        ZH: (
            "请签署合同 {{ order_number }}",
            "{{ customer_name }}您好，{{ agency_name }}的{{ service_name }}三方合同（订单 "
            "{{ order_number }}）已发出，请在 7 天内阅读并签字：{{ link }}",
        ),
        EN: (
            "Please sign your contract: {{ order_number }}",
            "Dear {{ customer_name }}, {{ agency_name }}'s contract for {{ service_name }} "
            "(order {{ order_number }}) is ready. Please read and sign it within 7 days: "
            "{{ link }}",
        ),
    },
    "placement.contract_to_sign:staff": {
        ZH: (
            "请签署合同 {{ order_number }}",
            "{{ staff_name }}您好，{{ service_name }}三方合同（订单 {{ order_number }}）已发出，"
            "请在 7 天内阅读并签字：{{ link }}",
        ),
        EN: (
            "Please sign your contract: {{ order_number }}",
            "Dear {{ staff_name }}, the contract for {{ service_name }} (order {{ order_number }}) "
            "is ready. Please read and sign it within 7 days: {{ link }}",
        ),
    },
    "voice.survey:staff": {
        ZH: (
            "员工满意度调查 {{ survey_title }}",
            "{{ staff_name }}您好，{{ agency_name }}的员工满意度调查已开始，匿名填写，"
            "请在 {{ closes_on }} 前作答：{{ link }}",
        ),
        EN: (
            "Staff survey: {{ survey_title }}",
            "Hello {{ staff_name }}, {{ agency_name }}'s staff survey is open. It is anonymous; "
            "please answer by {{ closes_on }}: {{ link }}",
        ),
    },
    "voice.suggestion_answered:staff": {
        ZH: (
            "您的建议已答复",
            "{{ staff_name }}您好，您的建议已收到答复：{{ answer }}",
        ),
        EN: (
            "Your suggestion is answered",
            "Hello {{ staff_name }}, your suggestion has an answer: {{ answer }}",
        ),
    },
}
