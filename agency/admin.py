from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from agency.models import Agency, AuditLog, Branch, Membership, User


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
