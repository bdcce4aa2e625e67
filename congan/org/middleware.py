"""Two-factor enforcement: officers with a confirmed device must pass it after the password;
members of roles listed in TWO_FACTOR_REQUIRED_ROLES must set one up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from congan.core.middleware import API_PREFIX, json_error
from congan.org import selectors

# Paths that never need a second factor (assets, probes, language switch).
EXEMPT_PREFIXES = ("/static/", "/healthz", "/metrics", "/i18n/")


class RequireTwoFactorMiddleware:
    """Runs after django_otp's OTPMiddleware (which gives ``request.user.is_verified()``).

    Pages: an officer with a confirmed authenticator goes to the verify step; an officer of a
    role that requires two-factor and has no authenticator goes to setup. API: officers with a
    device but an unverified session are refused by ``OfficerSession`` (401); officers who must
    set up two-factor get a JSON 401 here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        if request.path.startswith(API_PREFIX):
            return self._api(request)
        exempt = {reverse("org:logout"), reverse("org:otp_verify"), reverse("org:otp_setup")}
        if request.path in exempt:
            return self.get_response(request)
        if selectors.officer_has_confirmed_device(officer=user):
            return redirect(f"{reverse('org:otp_verify')}?{urlencode({'next': request.get_full_path()})}")
        if selectors.officer_requires_two_factor(officer=user):
            return redirect("org:otp_setup")
        return self.get_response(request)

    def _api(self, request: HttpRequest) -> HttpResponse:
        # A partner key sent alongside a session cookie is judged on the key alone.
        user = request.user
        if (
            "HTTP_X_API_KEY" not in request.META
            and selectors.officer_requires_two_factor(officer=user)
            and not selectors.officer_has_confirmed_device(officer=user)
        ):
            return json_error(
                "two_factor_required",
                _("Vai trò của bạn bắt buộc xác thực hai lớp. Hãy cài đặt trên trang web trước."),
                status=401,
            )
        return self.get_response(request)
