from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agency.models import (
    Agency,
    AuditLog,
    Branch,
    Membership,
    MessageStatus,
    OutboundMessage,
    User,
)


@admin.register(User)
class HearthUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Hearth", {"fields": ("preferred_language",)}))  # type: ignore[misc]


class BranchInline(admin.TabularInline):
    model = Branch
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "default_language", "currency"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [BranchInline, MembershipInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by services and never edited."""

    list_display = ["created_at", "agency", "actor", "action", "object_repr", "ip_address"]
    list_filter = ["agency", "action"]
    list_select_related = ["agency", "actor"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    """The outbox: what was sent, what waits, and what needs a person (failed or unknown)."""

    list_display = ["created_at", "agency", "channel", "recipient", "status", "attempts"]
    list_filter = ["status", "channel", "agency"]
    list_select_related = ["agency"]
    readonly_fields = ["key", "attempts", "attempted_at", "sent_at", "last_error"]
    actions = ["send_again"]

    @admin.action(description=_("Send again (checked: it did not arrive)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[OutboundMessage]) -> None:
        # Only a person may resend a message whose outcome is unknown: the
        # provider may have delivered it. The key stays, so a provider that
        # honours it still drops a duplicate.
        again = queryset.filter(status__in=[MessageStatus.FAILED, MessageStatus.UNKNOWN]).update(
            status=MessageStatus.PENDING, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(count)d message(s) will be sent again.") % {"count": again})
