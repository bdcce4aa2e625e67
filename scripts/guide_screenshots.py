"""Take the screenshots of the user guides (docs/img/guide/) from a running demo.

    make run                                    # in another terminal: the demo on 127.0.0.1:8000
    .venv/bin/python scripts/guide_screenshots.py [--base http://127.0.0.1:8000] [NAME…]

Each shot signs in as the demo account a guide speaks of (the leader and the administrator with
their demo authenticator code), opens the page, does what the guide describes and saves the
window (1280 × 800, or 390 × 844 for a phone) as JPEG. Debian's Chromium, never a downloaded one.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congan.settings")

import django  # noqa: E402

django.setup()

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from congan.org.demo import DEMO_PASSWORD, demo_totp_key  # noqa: E402
from tests.browser import CHROMIUM, CHROMIUM_ARGS, sign_in  # noqa: E402

OUT = ROOT / "docs" / "img" / "guide"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
TWO_FACTOR = ("quantri", "lanhdao")


@dataclass(frozen=True)
class Shot:
    name: str
    account: str | None  # None: a member of the public
    path: str
    viewport: dict[str, int]
    then: Callable[[Page], None] | None = None


def declare_purpose(page: Page) -> None:
    """The purpose gate in front of personal data: the first legal purpose and a file number."""
    if page.get_by_test_id("purpose-form").count():
        page.locator("select[name=preset]").select_option(index=1)
        page.locator("[name=detail]").fill("Hồ sơ CT01 số 125/2026")
        page.get_by_test_id("purpose-submit").click()
        page.wait_for_load_state()


def open_first(selector: str, purpose: bool = True) -> Callable[[Page], None]:
    def follow(page: Page) -> None:
        page.locator(selector).first.click()
        page.wait_for_load_state()
        if purpose:
            declare_purpose(page)

    return follow


def open_menu(page: Page) -> None:
    page.locator(".nav-toggle").click()
    page.locator("details[data-nav-group] summary").first.click()


def search_residents(page: Page) -> None:
    page.locator("main input[name=q]").fill("nguyen van")
    page.locator("main input[name=q]").press("Enter")
    page.wait_for_selector("#results a[href^='/dan-cu/']")


def open_a_resident(purpose: bool) -> Callable[[Page], None]:
    def follow(page: Page) -> None:
        search_residents(page)
        open_first("#results a[href^='/dan-cu/']", purpose)(page)

    return follow


SHOTS = (
    Shot("dang-nhap", None, "/to-chuc/dang-nhap/", DESKTOP),
    Shot("tong-quan-lanh-dao", "lanhdao", "/tong-quan/", DESKTOP),
    Shot("viec-can-lam", "dieuphoi", "/viec-can-lam/", DESKTOP),
    Shot("menu-dien-thoai", "dieuphoi", "/tong-quan/", PHONE, open_menu),
    Shot("tra-cuu-dan-cu", "xuly", "/dan-cu/", DESKTOP, search_residents),
    Shot("muc-dich-tra-cuu", "xuly", "/dan-cu/", DESKTOP, open_a_resident(purpose=False)),
    Shot("ho-so-dan-cu", "xuly", "/dan-cu/", DESKTOP, open_a_resident(purpose=True)),
    Shot("danh-muc-thu-tuc", None, "/dich-vu-cong/", DESKTOP),
    Shot("hop-thu-ho-so", "tiepnhan", "/dich-vu-cong/xu-ly/", DESKTOP),
    Shot("ho-so-can-bo", "xuly", "/dich-vu-cong/xu-ly/", DESKTOP, open_first("[data-testid=inbox] a[href*='/xu-ly/']")),
    Shot("bao-tin", None, "/tin-bao/", DESKTOP),
    Shot("bang-dieu-phoi", "dieuphoi", "/tin-bao/dieu-phoi/", DESKTOP),
    Shot("tin-bao-can-bo", "dieuphoi", "/tin-bao/xu-ly/", DESKTOP, open_first("table a[href*='/tin-bao/xu-ly/']")),
    Shot("to-cong-tac-dien-thoai", "nghiepvu", "/tin-bao/to-cong-tac/", PHONE),
    Shot("thoi-gian-phan-ung", "lanhdao", "/tin-bao/thong-ke/", DESKTOP),
    Shot("soan-canh-bao", "dieuphoi", "/canh-bao/quan-ly/moi/", DESKTOP),
    Shot("canh-bao-cong-khai", None, "/canh-bao/", PHONE),
    Shot("ban-xu-ly-vi-pham", "nghiepvu", "/giao-thong/vi-pham/", DESKTOP),
    Shot("vi-pham", "nghiepvu", "/giao-thong/vi-pham/", DESKTOP, open_first("[data-testid=violation-list] a")),
    Shot("thong-ke-vi-pham", "lanhdao", "/giao-thong/thong-ke/", DESKTOP),
    Shot("tra-cuu-phat-nguoi", None, "/giao-thong/tra-cuu/", PHONE),
    Shot("so-van-ban-den", "vanthu", "/van-ban/den/", DESKTOP),
    Shot("vao-so-van-ban-den", "vanthu", "/van-ban/den/vao-so/", DESKTOP),
    Shot("van-ban-den-dien-thoai", "vanthu", "/van-ban/den/", PHONE, open_first("table a[href^='/van-ban/den/']")),
    Shot("so-van-ban-di", "lanhdao", "/van-ban/di/", DESKTOP),
    Shot(
        "van-ban-di-ky-so",
        "lanhdao",
        "/van-ban/di/?status=issued",
        DESKTOP,
        open_first("[data-testid=outgoing-register] a", False),
    ),
    Shot("lien-thong", "vanthu", "/van-ban/lien-thong/", DESKTOP),
    Shot("kiem-tra-chu-ky", "vanthu", "/van-ban/kiem-tra-chu-ky/", DESKTOP),
    Shot("viec-cua-toi", "nghiepvu", "/dieu-hanh/viec/", PHONE),
    Shot("thong-ke-dieu-hanh", "lanhdao", "/dieu-hanh/thong-ke/lanh-dao/", DESKTOP),
)
# The last 30-second window each account's authenticator code was used in: a code is taken once.
_CODE_WINDOWS: dict[str, int] = {}


def _fresh_code_window(account: str) -> None:
    while int(time.time() // 30) <= _CODE_WINDOWS.get(account, -1):
        time.sleep(1)


def take(browser: Any, base: str, shot: Shot) -> Path:
    context = browser.new_context(base_url=base, viewport=shot.viewport, locale="vi-VN")
    try:
        page = context.new_page()
        if shot.account:
            key = demo_totp_key(shot.account) if shot.account in TWO_FACTOR else ""
            if key:
                _fresh_code_window(shot.account)
            sign_in(page, shot.account, DEMO_PASSWORD, totp_key=key)
            if key:
                _CODE_WINDOWS[shot.account] = int(time.time() // 30)
        page.goto(base + shot.path)
        page.wait_for_load_state("networkidle")
        if shot.then:
            shot.then(page)
            page.wait_for_load_state("networkidle")
        path = OUT / f"{shot.name}.jpg"
        page.screenshot(path=str(path), type="jpeg", quality=80)
        return path
    finally:
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("names", nargs="*", help="only these shots (default: all)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = [shot for shot in SHOTS if not args.names or shot.name in args.names]
    failed = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for shot in chosen:
            try:
                path = take(browser, args.base, shot)
                print(f"{shot.name}: {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KB)")
            except Exception as error:  # report every shot, then fail
                failed += 1
                print(f"{shot.name}: FAILED {type(error).__name__}: {str(error).splitlines()[0]}")
        browser.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
