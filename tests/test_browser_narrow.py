"""In a real browser 390 px wide (a phone): no page of the demo scrolls sideways. The pages are those
each demo account reaches from its dashboard (tests/test_readable_pages.crawl), and the public ones."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from congan.org.demo import DEMO_ACCOUNTS
from congan.org.models import Officer
from congan.org.tests.otp import verified_login
from tests.browser import chromium_page
from tests.test_readable_pages import build_small_demo, crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
# The element sticking out furthest to the right, to say what to fix.
WIDEST = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  let worst = null;
  for (const element of document.body.querySelectorAll("*")) {
    const right = element.getBoundingClientRect().right;
    if (right > width + 1 && (!worst || right > worst.right)) {
      worst = { right, tag: element.tagName.toLowerCase(), id: element.id, cls: element.className.toString() };
    }
  }
  return { scrollWidth: document.documentElement.scrollWidth, worst };
}"""


def _session_cookie(username: str | None) -> list[dict]:
    if username is None:
        return []
    client = Client()
    verified_login(client, Officer.objects.get(username=username))
    return [{"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}]


def test_no_page_scrolls_sideways_on_a_phone(live_server):
    build_small_demo()
    overflowing: list[str] = []
    checked = 0
    for username in [spec.username for spec in DEMO_ACCOUNTS] + [None]:
        client = Client()
        if username:
            verified_login(client, Officer.objects.get(username=username))
        pages, _problems = crawl(client, "/tong-quan/" if username else "/", set(), set())
        with chromium_page(live_server.url, viewport=PHONE) as page:
            cookies = _session_cookie(username)
            if cookies:
                page.context.add_cookies([{**cookie, "url": live_server.url} for cookie in cookies])
            for path in pages:
                page.goto(path)
                found = page.evaluate(WIDEST)
                checked += 1
                if found:
                    overflowing.append(f"{username or '(public)'} {path}: {found}")
    assert checked > 100
    assert not overflowing, "\n".join(overflowing)
