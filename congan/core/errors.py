"""One error family for services, selectors, views and the API.

Each error carries a stable machine ``code``, a translated ``message`` and optional
``details``; the API maps it to ``{"code", "message", "details"}`` with ``status``, views map
it to form errors or an error page.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status = 400
    code = "error"
    default_message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message: Any = None, *, details: Any = None, code: str | None = None):
        self.message = message if message is not None else self.default_message
        self.details = details if details is not None else {}
        if code:
            self.code = code
        super().__init__(str(self.message))


class ValidationFailed(ApplicationError):
    status = 422
    code = "validation_failed"
    default_message = _("Dữ liệu không hợp lệ.")


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    default_message = _("Cần đăng nhập hoặc khóa API hợp lệ.")


class PermissionDenied(ApplicationError):
    status = 403
    code = "permission_denied"
    default_message = _("Bạn không có quyền thực hiện thao tác này.")


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = _("Không tìm thấy.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    default_message = _("Xung đột với dữ liệu hiện có.")


class InvalidTransition(ApplicationError):
    status = 409
    code = "invalid_transition"
    default_message = _("Không thể chuyển sang trạng thái này.")


class ServiceUnavailable(ApplicationError):
    """A service the answer depends on (the shared limit store) cannot be reached: nothing was done."""

    status = 503
    code = "service_unavailable"
    default_message = _("Dịch vụ tạm thời gián đoạn. Vui lòng thử lại sau.")


class RateLimited(ApplicationError):
    status = 429
    code = "rate_limited"
    default_message = _("Quá nhiều yêu cầu. Vui lòng thử lại sau.")

    def __init__(self, *, retry_after: int, **kwargs: Any):
        self.retry_after = retry_after
        super().__init__(details={"retry_after": retry_after}, **kwargs)


def full_clean_or_fail(instance: Any, *, exclude: list[str] | None = None, validate_unique: bool = True) -> None:
    """Run model validation and report failures in the one error family (field details)."""
    from django.core.exceptions import ValidationError

    try:
        instance.full_clean(exclude=exclude, validate_unique=validate_unique)
    except ValidationError as exc:
        raise ValidationFailed(details=exc.message_dict) from exc
