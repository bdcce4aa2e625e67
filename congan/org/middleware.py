"""Two-factor enforcement: officers with a confirmed device must pass it after the password;
members of roles listed in TWO_FACTOR_REQUIRED_ROLES must set one up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from congan.org import selectors

EXEMPT_PREFIXES = ("/static/", "/healthz", "/metrics", "/i18n/", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or user.is_verified() or request.path.startswith(EXEMPT_PREFIXES):
            return self.get_response(request)
        exempt = {reverse("org:logout"), reverse("org:otp_verify"), reverse("org:otp_setup")}
        if request.path in exempt:
            return self.get_response(request)
        if selectors.officer_has_confirmed_device(officer=user):
            return redirect(f"{reverse('org:otp_verify')}?next={request.get_full_path()}")
        if selectors.officer_requires_two_factor(officer=user):
            return redirect(reverse("org:otp_setup"))
        return self.get_response(request)


def two_factor_roles() -> list[str]:
    return list(settings.TWO_FACTOR_REQUIRED_ROLES)
