from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from congan.core.labels import data_label
from congan.org import services
from congan.org.models import Officer, TrainingAttendance, TrainingCourse, Unit


class RoleFilter(admin.SimpleListFilter):
    """Officers by role, the roles named in the reader's language (congan.org.labels)."""

    title = _("vai trò")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(str(group.pk), data_label(group.name)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups=self.value()) if self.value() else queryset


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(GroupAdmin):
    """Roles (Django groups): stored in Vietnamese, listed in the reader's language."""

    list_display = ("role",)

    @admin.display(description=_("vai trò"), ordering="name")
    def role(self, group: Group) -> str:
        return data_label(group.name)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "area_code", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "name_folded", "area_code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if change:
            services.unit_update(by=request.user, unit=obj, **fields)
        else:
            data = dict(form.cleaned_data)
            created = services.unit_create(
                by=request.user,
                code=data.pop("code"),
                name=data.pop("name"),
                kind=data.pop("kind"),
                parent=data.pop("parent"),
                **data,
            )
            obj.pk = created.pk

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Officer)
class OfficerAdmin(UserAdmin):
    ordering = ("sort_name",)
    list_display = (
        "username",
        "full_name",
        "officer_number",
        "rank",
        "position",
        "unit",
        "clearance",
        "is_active",
    )
    list_filter = ("is_active", "is_staff", "rank", "clearance", RoleFilter)
    search_fields = ("username", "full_name", "full_name_folded", "officer_number")
    actions = ["disable_two_factor"]

    @admin.action(description=_("Tắt xác thực hai lớp"), permissions=["change"])
    def disable_two_factor(self, request, queryset) -> None:
        """For a lost phone: remove the officer's authenticator and recovery codes (audited)."""
        officers = list(queryset)
        for officer in officers:
            services.otp_disable(by=request.user, officer=officer)
        self.message_user(
            request,
            _("Đã tắt xác thực hai lớp của %(count)d cán bộ. Vai trò bắt buộc sẽ phải cài đặt lại khi đăng nhập.")
            % {"count": len(officers)},
            messages.SUCCESS,
        )

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "groups" and field is not None:
            field.label_from_instance = lambda group: data_label(group.name)
        return field

    autocomplete_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Thông tin cán bộ"),
            {
                "fields": (
                    "full_name",
                    "officer_number",
                    "rank",
                    "position",
                    "unit",
                    "clearance",
                    "phone",
                    "email",
                )
            },
        ),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "password1", "password2"),
            },
        ),
    )


class TrainingAttendanceInline(admin.TabularInline):
    model = TrainingAttendance
    autocomplete_fields = ("officer",)
    extra = 0


@admin.register(TrainingCourse)
class TrainingCourseAdmin(admin.ModelAdmin):
    list_display = ("topic", "start_date", "end_date", "unit")
    list_filter = ("unit__kind",)
    search_fields = ("topic", "topic_folded")
    date_hierarchy = "start_date"
    autocomplete_fields = ("unit",)
    inlines = [TrainingAttendanceInline]
