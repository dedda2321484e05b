"""Hearth settings. The environment is read here and nowhere else.

Development works with no environment at all (local PostgreSQL and Redis);
with DEBUG=false every production setting is strict and SECRET_KEY and
ALLOWED_HOSTS must be given.
"""

import base64
import hashlib
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "django-insecure-hearth-development-only-never-use-in-production"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET_KEY if DEBUG else None)
# Django's deploy check only warns about a weak key; signed customer links,
# sessions and password-reset tokens all rest on it, so production refuses one
# (the same bar as the check: security.W009).
if not DEBUG and (
    len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH
    or len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    or SECRET_KEY.startswith(SECRET_KEY_INSECURE_PREFIX)
):
    raise ImproperlyConfigured(
        f"SECRET_KEY must be a random secret of at least {SECRET_KEY_MIN_LENGTH} characters "
        "when DEBUG is false, e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names when DEBUG is false.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# fields.W161 warns of a fixed default on a date or time field, meant for "today" frozen at
# import. Our fixed defaults are times of day (calls from 09:00, quiet from 21:00), fixed on
# purpose; for a TimeField Django warns only when the check runs within ten seconds of that
# time (in UTC), so `check --deploy` would fail a few seconds a day.
SILENCED_SYSTEM_CHECKS = ["fields.W161"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Operator classes in index expressions (the trigram search indexes) need its schema editor.
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "django_htmx",
    "axes",
    # Hearth, lowest layer first: a higher app may import a lower one only.
    "agency",
    "messaging",
    "attendance",
    "staff",
    "orders",
    "feedback",
    "complaints",
    "placements",
    "voice",
    "performance",
    "payroll",
    "reports",
    "home",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "agency.middleware.ActiveAgencyMiddleware",
    "agency.middleware.TenantLocaleMiddleware",
    # After the locale: the refusal is in the user's language.
    "agency.middleware.RefuseNulInQueryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-axes must come last so it sees every failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "agency.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "agency.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/hearth"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("Hearth runs on PostgreSQL only; DATABASE_URL must be postgres://…")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "hearth",
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for passwords: Django's hook that ends API tokens when one changes.
    {"NAME": "agency.accounts.ApiTokensEndWithPassword"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login rate limiting: five failures for one username from one address lock
# that pair out for fifteen minutes; thirty from one address, whatever the
# usernames, lock the address (one password sprayed over many accounts). The
# address limit is higher because an office's staff share one address.
AXES_HANDLER = "agency.lockout.LoginLockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Sessions last a working day from login. Not renewed on every request: that
# would cost a session write (three queries) on every page and API call.
SESSION_COOKIE_AGE = 60 * 60 * 12
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Nothing the browser runs or styles with comes from anywhere but our own static
# files: no inline script or style, no CDN. A stored script
# that slipped past the upload checks still could not run. data: images are
# Swagger UI's icons, drawn from its stylesheet. No `object-src 'none'`: the
# same policy reaches a PDF opened from media, and Chromium's viewer is a plugin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The load balancer's health probe speaks plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# The customer portal's sign-in codes (issue 18): how many may be texted in an hour to one
# phone (of one agency) and asked for from one network address (any agency's), so nobody
# floods a phone with texts or guesses codes by asking for new ones.
PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR = env_int("PORTAL_CODE_SENDS_PER_PHONE_PER_HOUR", 5)
PORTAL_CODE_SENDS_PER_IP_PER_HOUR = env_int("PORTAL_CODE_SENDS_PER_IP_PER_HOUR", 20)
# SMS: console in development; a provider's backend class in production.
SMS_BACKEND = env_str("SMS_BACKEND", "agency.sms.ConsoleSMSBackend")
# Alibaba Cloud SMS (SMS_BACKEND=messaging.providers.aliyun.AliyunSMSBackend): the
# platform's account, its approved signature and its one generic template, which takes
# the whole rendered text as ${content} (README, "SMS providers").
ALIYUN_SMS_BACKEND = "messaging.providers.aliyun.AliyunSMSBackend"
ALIYUN_SMS_ACCESS_KEY_ID = env_str("ALIYUN_SMS_ACCESS_KEY_ID", "")
ALIYUN_SMS_ACCESS_KEY_SECRET = env_str("ALIYUN_SMS_ACCESS_KEY_SECRET", "")
ALIYUN_SMS_SIGN_NAME = env_str("ALIYUN_SMS_SIGN_NAME", "")
ALIYUN_SMS_TEMPLATE_CODE = env_str("ALIYUN_SMS_TEMPLATE_CODE", "")
ALIYUN_SMS_ENDPOINT = env_str("ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com")
if not ALIYUN_SMS_ENDPOINT.startswith(("https://", "http://")):
    raise ImproperlyConfigured("ALIYUN_SMS_ENDPOINT must be an http(s) URL.")
if SMS_BACKEND == ALIYUN_SMS_BACKEND and not all(
    (
        ALIYUN_SMS_ACCESS_KEY_ID,
        ALIYUN_SMS_ACCESS_KEY_SECRET,
        ALIYUN_SMS_SIGN_NAME,
        ALIYUN_SMS_TEMPLATE_CODE,
    )
):
    raise ImproperlyConfigured(
        "SMS_BACKEND is Alibaba Cloud: set ALIYUN_SMS_ACCESS_KEY_ID, "
        "ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME and ALIYUN_SMS_TEMPLATE_CODE."
    )
# Delivery receipts (/hooks/sms/aliyun/) are taken only when signed with this secret:
# an HMAC-SHA256 of the body in X-Hearth-Signature, or the token derived from it in the
# URL (README, "SMS providers"). Empty: every receipt is refused.
SMS_WEBHOOK_SECRET = env_str("SMS_WEBHOOK_SECRET", "")
# Online payment (orders.payments, README "Online payment"). Provider secrets are stored
# encrypted with this Fernet key (`Fernet.generate_key()`); in development one is derived
# from SECRET_KEY. Without it in production the site runs, but no payment account can be
# saved or used (orders.payments.secrets says so).
PAYMENT_SECRETS_KEY = env_str(
    "PAYMENT_SECRETS_KEY",
    base64.urlsafe_b64encode(hashlib.sha256(SECRET_KEY.encode()).digest()).decode()
    if DEBUG
    else "",
)
if PAYMENT_SECRETS_KEY and len(base64.urlsafe_b64decode(PAYMENT_SECRETS_KEY + "==")) != 32:
    raise ImproperlyConfigured("PAYMENT_SECRETS_KEY must be a Fernet key (Fernet.generate_key()).")
# The providers' gateways: the real ones in production; in development the fake providers
# that `./scripts/up` starts (Procfile.dev "payments"), so the demo pays without a network.
_FAKE_PROVIDERS = "http://127.0.0.1:" + env_str("FAKE_PROVIDER_PORT", "8765")
WECHATPAY_GATEWAY = env_str(
    "WECHATPAY_GATEWAY",
    f"{_FAKE_PROVIDERS}/wechat" if DEBUG else "https://api.mch.weixin.qq.com",
)
ALIPAY_GATEWAY = env_str(
    "ALIPAY_GATEWAY",
    f"{_FAKE_PROVIDERS}/alipay/gateway.do" if DEBUG else "https://openapi.alipay.com/gateway.do",
)
# Development only: the keys the fake providers (orders.payments.fake_provider) and the demo
# agency's accounts share.
FAKE_PROVIDER_KEYS = env_str(
    "FAKE_PROVIDER_KEYS", str(BASE_DIR / "var" / "fake-provider-keys.json")
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hearth <noreply@hearth.local>")
# Where emails sent by the worker (no request to read it from) point their links.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# How long the customer's and the staff member's link to sign a placement contract works.
CONTRACT_SIGNING_LINK_DAYS = 7
SERVER_EMAIL = DEFAULT_FROM_EMAIL

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "agency.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "agency.api.exception_handler",
}
# API tokens (django-rest-knox): hashed at rest, one per login, valid this long.
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=env_int("API_TOKEN_TTL_DAYS", 30)),
    "AUTH_HEADER_PREFIX": "Token",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hearth API",
    "DESCRIPTION": "Back office for housekeeping agencies. Every call acts on the "
    "active agency: the session's, or the one named in the X-Agency header.",
    "VERSION": "1.0.0",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": "config.settings.LANGUAGES",
        "MessageViaEnum": "messaging.rules.Via",
        # SMS or email: a message's channel and a customer's chosen one are one choice set.
        "MessageChannelEnum": "agency.models.Channel",
        "BookingRequestStatusEnum": "orders.intake.booking_requests.BookingRequestStatus",
        # How a customer pays online (QR code, phone or desktop browser): not a message channel.
        "PaymentChannelEnum": "orders.payments.models.PayChannel",
        # Incidents (issue 19): their kinds and statuses are not the complaints' or orders'.
        "IncidentKindEnum": "complaints.models.incidents.IncidentKind",
        "IncidentStatusEnum": "complaints.models.incidents.IncidentStatus",
        "IncidentEventKindEnum": "complaints.models.incidents.IncidentEventKind",
        # Quality inspections, the risk register and complaint solutions (issue 19).
        "InspectionKindEnum": "complaints.models.quality.InspectionKind",
        "InspectionPlanKindEnum": "complaints.models.quality.PlanKind",
        "RiskKindEnum": "complaints.models.quality.RiskKind",
        "SolutionKindEnum": "complaints.models.remedies.SolutionKind",
        "WarrantyVerdictEnum": "complaints.models.WarrantyVerdict",
        # Placement contracts (issue 20), as the customer's portal lists them.
        "ContractKindEnum": "placements.models.contracts.ContractKind",
        "ContractStatusEnum": "placements.models.contracts.ContractStatus",
        # Pay (issue 21): a statement's status, a line's kind and a rate's kind.
        "PayStatementStatusEnum": "payroll.models.statements.StatementStatus",
        "PayLineKindEnum": "payroll.models.statements.LineKind",
        "PayRateKindEnum": "payroll.models.rules.RateKind",
        "PayAdjustmentKindEnum": "payroll.models.adjustments.AdjustmentKind",
        "PayAdjustmentReasonEnum": "payroll.models.adjustments.AdjustmentReason",
        "PayAdjustmentStatusEnum": "payroll.models.adjustments.AdjustmentStatus",
        # The staff survey (issue 21).
        "SurveyQuestionKindEnum": "voice.models.QuestionKind",
        "SurveyStatusEnum": "voice.models.SurveyStatus",
        "SuggestionStatusEnum": "voice.models.SuggestionStatus",
    },
    # Swagger UI from our own static files: the docs work offline and behind the
    # Great Firewall, and fit the Content-Security-Policy.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Celery: Redis as broker; a task is acknowledged only after it ran, and a
# worker that dies mid-task hands it back, so tasks must be idempotent.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The visibility timeout must exceed the longest task, or Redis redelivers it.
# A broker that does not answer is given up on quickly: a request that sends a
# task after commit waits at most two tries of two seconds (agency/queueing.py),
# then the sweeps deliver the work.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 60 * 60, "socket_connect_timeout": 2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# Two queues, each with its own worker, so that a timer never waits behind a
# report: "celery" (the default) for the sweeps, the outbox and the heartbeat,
# each done in a second; "reports" for the report and PDF builds, which take
# seconds each and come by the dozen every Monday at 08:00.
CELERY_TASK_DEFAULT_QUEUE = "celery"
REPORTS_QUEUE = "reports"
# Every PDF is built on the reports queue, whose worker processes load the fonts once at
# start; the web process only serves stored files (agency/documents.py).
CELERY_TASK_ROUTES = {
    "reports.tasks.build_weekly_report": {"queue": REPORTS_QUEUE},
    "agency.tasks.build_document": {"queue": REPORTS_QUEUE},
}
# A reports worker's process loads the PDF fonts when it starts (config/celery.py), which
# takes seconds under load: Celery's default of 4 s would kill it as failed to start.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 60.0
# /health/ says "workers are behind" when a queue's oldest task has waited longer.
QUEUE_MAX_WAIT_SECONDS = {
    CELERY_TASK_DEFAULT_QUEUE: env_int("FAST_QUEUE_MAX_WAIT_SECONDS", 2 * 60),
    REPORTS_QUEUE: env_int("REPORTS_QUEUE_MAX_WAIT_SECONDS", 60 * 60),
}

HEARTBEAT_INTERVAL_SECONDS = env_int("HEARTBEAT_INTERVAL_SECONDS", 60)
# /health/ turns 503 when beat or the worker has been silent this long.
HEARTBEAT_STALE_AFTER_SECONDS = env_int("HEARTBEAT_STALE_AFTER_SECONDS", 5 * 60)

# The one beat schedule. Every periodic job is a sweep over deadline columns
# (DESIGN.md, "Timers"): run it often, it finds what is due in the database.
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {
        "task": "agency.tasks.record_heartbeat",
        "schedule": float(HEARTBEAT_INTERVAL_SECONDS),
    },
    "outbound-messages": {
        "task": "agency.tasks.deliver_due_messages",
        "schedule": 60.0,
    },
    # API idempotency keys answer retries for a week, then go.
    # Documents (invoices, receipts, acceptance records) whose build message was lost.
    "document-builds": {
        "task": "agency.tasks.resend_document_builds",
        "schedule": 60.0,
    },
    "idempotency-keys": {
        "task": "agency.tasks.prune_idempotency_keys",
        "schedule": 60.0 * 60,
    },
    # The portal's sign-in codes are of no use after a day (their limits count an hour).
    "portal-sign-in-codes": {
        "task": "portal.tasks.prune_sign_in_codes",
        "schedule": 60.0 * 60,
    },
    # Hourly rather than daily: idempotent, and a missed run is caught up soon.
    "recurring-orders": {
        "task": "orders.tasks.generate_recurring_orders",
        "schedule": 60.0 * 60,
    },
    # Billing: accepted orders and approved cancellation fees become draft invoices.
    "invoice-new": {
        "task": "orders.tasks.invoice_new",
        "schedule": 60.0,
    },
    # Feedback: each accepted order's customer is asked once, by a signed link.
    "feedback-requests": {
        "task": "feedback.tasks.request_feedback",
        "schedule": 60.0,
    },
    # Revisits: scheduled from order events and callbacks, letters sent, overdue escalated.
    "revisits": {
        "task": "feedback.tasks.sweep_revisits",
        "schedule": 60.0,
    },
    # Complaint SLAs: deadlines are columns; this sweep escalates what is due (DESIGN.md).
    "complaint-deadlines": {
        "task": "complaints.tasks.sweep_deadlines",
        "schedule": 30.0,
    },
    # The weekly satisfaction report: Monday 08:00 in each agency's own time zone.
    "weekly-reports": {
        "task": "reports.tasks.sweep_weekly_reports",
        "schedule": 60.0,
    },
    # The day before a job: customers asked to confirm, staff sent tomorrow's list, each
    # from its agency's hour (orders.reminders).
    "day-before": {
        "task": "orders.tasks.send_day_before",
        "schedule": 60.0,
    },
    "jobs-tomorrow": {
        "task": "orders.tasks.send_jobs_tomorrow",
        "schedule": 60.0,
    },
    # Jobs staff did not acknowledge (确认接单) in the agency's time go to the dispatcher.
    "unacknowledged-jobs": {
        "task": "orders.tasks.sweep_unacknowledged_jobs",
        "schedule": 60.0,
    },
    # Confirmed staff not checked in by the start and the no-show time: the dispatcher is told.
    "no-shows": {
        "task": "orders.tasks.sweep_no_shows",
        "schedule": 60.0,
    },
    # Prepaid cards (issue 18): expired after their last day, their holders reminded 30 days
    # before; each sweep reads only due cards through a partial index.
    "prepaid-cards": {
        "task": "orders.tasks.sweep_prepaid_cards",
        "schedule": 60.0 * 5,
    },
    # Placements (issue 20): deposits, months and wages invoiced when due, each once.
    "placement-charges": {
        "task": "placements.tasks.bill_due_charges",
        "schedule": 60.0 * 5,
    },
    # Online payment: approved refunds whose after-commit send was lost go to the provider.
    "online-refunds": {
        "task": "orders.tasks.send_online_refunds_due",
        "schedule": 60.0 * 5,
    },
    # Online payment: yesterday's provider bills, hourly until each day is reconciled.
    "payment-reconciliation": {
        "task": "orders.tasks.reconcile_payments",
        "schedule": 60.0 * 60,
    },
    # Emergency plans due for review: a daily reminder, run hourly so each agency's new day
    # is caught soon after its midnight; the reminder row makes it once per review date.
    "risk-reviews": {"task": "complaints.quality.tasks.remind_risk_reviews", "schedule": 3600.0},
    # Placements: the trial's last-day question and the renewal reminders (issue 20).
    "placements": {"task": "placements.tasks.sweep_running_placements", "schedule": 3600.0},
    # Pay (issue 21): rewards and penalties proposed from complaints upheld, five-star
    # feedback, lateness and no-shows, each once, for a manager to approve.
    "pay-adjustments": {"task": "payroll.tasks.propose_adjustments", "schedule": 3600.0},
    # Promotions proposed when a staff member meets the next level's criteria (issue 21).
    "promotions": {"task": "performance.tasks.promotions_propose", "schedule": 24 * 3600.0},
    # The staff survey (issue 21): close past their last day; the six-monthly one opens.
    "staff-surveys": {"task": "voice.tasks.sweep_surveys", "schedule": 3600.0},
    # A text to a customer that failed for good is shown to the dispatchers, once.
    "failed-texts": {
        "task": "messaging.tasks.report_failed_texts",
        "schedule": 60.0,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes announces its configuration on every start, WeasyPrint each step of a PDF.
    "loggers": {"axes": {"level": "WARNING"}, "weasyprint": {"level": "WARNING"}},
}
