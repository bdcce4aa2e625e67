"""Playwright helpers: always Debian's Chromium, never a downloaded browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextmanager
def chromium_page(base_url: str, **context_options) -> Iterator:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still synchronous, so tell Django not to refuse them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            context = browser.new_context(base_url=base_url, locale="vi-VN", **context_options)
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.console_errors = errors  # type: ignore[attr-defined]
            try:
                yield page
            finally:
                context.close()
                browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def open_menu(page, group: str, item: str) -> None:
    """Follow ``item`` in the navigation's ``group`` (a module's menu opens on a click)."""
    page.locator("details[data-nav-group] summary", has_text=group).first.click()
    page.locator("details[data-nav-group][open]").get_by_role("link", name=item, exact=True).click()


def sign_in(page, username: str, password: str, *, totp_key: str = "", before_code=None) -> None:
    """Sign an officer in through the login form and land on their dashboard. ``totp_key`` (hex,
    the officer's authenticator secret) answers the second-factor step; ``before_code(page)``
    runs when that step shows, e.g. to take a screenshot of it."""
    from django_otp.oath import totp

    page.goto("/to-chuc/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_test_id("login-submit").click()
    page.wait_for_load_state()
    if totp_key:
        if before_code is not None:
            before_code(page)
        page.get_by_label("Mã xác thực").fill(f"{totp(bytes.fromhex(totp_key)):06d}")
        page.get_by_test_id("otp-submit").click()
    page.wait_for_url("**/tong-quan/")
