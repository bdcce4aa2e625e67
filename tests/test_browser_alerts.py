"""In a real browser: an officer draws a warning area on the map (Leaflet, no tiles), saves and
submits the draft; a leader approves it; a citizen finds it on the public warnings page."""

from __future__ import annotations

import json

import pytest

from congan.alerts.models import Alert
from congan.org import roles
from congan.org.tests.factories import OfficerFactory
from tests.browser import chromium_page, sign_in
from tests.test_browser_incidents import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_draws_a_warning_area_and_a_second_officer_publishes_it(live_server, province, commune, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    composer = OfficerFactory(unit=commune, roles=[roles.DISPATCHER])
    approver = OfficerFactory(unit=province, roles=[roles.LEADER])
    with chromium_page(live_server.url) as page:
        sign_in(page, composer.username, PASSWORD)
        page.goto("/canh-bao/quan-ly/moi/")
        page.locator("#id_category").select_option("Security")
        page.locator("#id_event").fill("Tụ tập đua xe trái phép")
        page.locator("#id_urgency").select_option("Expected")
        page.locator("#id_severity").select_option("Severe")
        page.locator("#id_certainty").select_option("Likely")
        page.locator("#id_response_type").select_option("Avoid")
        page.locator("#id_headline").fill("Cảnh báo đua xe trái phép đêm nay")
        page.locator("#id_description").fill("Có thông tin hẹn đua xe trên đường ven biển.")
        page.locator("#id_area_desc").fill("Đường ven biển")
        page.get_by_test_id("draw-polygon").click()
        area = page.get_by_test_id("alert-map")
        area.scroll_into_view_if_needed()
        box = area.bounding_box()
        for dx, dy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.7)):
            area.click(position={"x": box["width"] * dx, "y": box["height"] * dy}, force=True)
        page.locator("#alert-map path.leaflet-interactive").nth(3).wait_for(state="attached")  # polygon + 3 corners
        assert len(json.loads(page.locator("#id_polygon").input_value())) == 3
        page.locator("#id_commune_codes").select_option("20194")
        page.get_by_test_id("alert-save").click()
        page.get_by_test_id("alert-submit").click()
        page.wait_for_selector("text=Đã trình phê duyệt.")
        alert = Alert.objects.get()
        assert len(alert.polygon) == 3 and alert.state == "pending"
        page.context.clear_cookies()
        sign_in(page, approver.username, PASSWORD)
        page.goto(f"/canh-bao/quan-ly/{alert.pk}/")
        page.get_by_test_id("alert-approve").click()
        page.wait_for_selector("text=Đã phê duyệt và phát hành cảnh báo.")
        page.goto("/canh-bao/")
        page.get_by_role("link", name="Cảnh báo đua xe trái phép đêm nay").click()
        assert page.get_by_test_id("alert-headline").inner_text() == "Cảnh báo đua xe trái phép đêm nay"
        page.wait_for_selector("#alert-map path.leaflet-interactive")


# The browser's push service is on the Internet, which these tests never reach: the page's call to
# it (pushManager.subscribe) is replaced by one answering a subscription on an allowed origin.
FAKE_PUSH_SERVICE = """
const fake = { endpoint: "https://updates.push.services.mozilla.com/wpush/v2/browser-test",
  keys: { p256dh: "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
          auth: "tBHItJI5svbpez7KI4CCXg" } };
let subscribed = null;
PushManager.prototype.getSubscription = async () => subscribed;
PushManager.prototype.subscribe = async (options) => {
  if (!(options.applicationServerKey instanceof Uint8Array) || options.applicationServerKey.length !== 65) {
    throw new DOMException("bad key", "InvalidAccessError");
  }
  subscribed = { toJSON: () => fake, unsubscribe: async () => { subscribed = null; return true; } };
  return subscribed;
};
"""


def test_a_citizen_receives_warnings_in_the_browser_and_stops_them(live_server, commune, other_commune, settings):
    from congan.alerts.models import Subscription

    settings.WEBPUSH_ALLOWED_ORIGINS = ["https://*.push.services.mozilla.com"]
    settings.NOTIFICATION_BACKENDS = {**settings.NOTIFICATION_BACKENDS, "webpush": "congan.core.webpush.WebPushBackend"}
    with chromium_page(live_server.url) as page:
        page.context.grant_permissions(["notifications"])
        page.add_init_script(FAKE_PUSH_SERVICE)
        page.goto("/canh-bao/dang-ky/")
        page.locator("#id_commune_codes").select_option(["20194", "20197"])
        box = page.get_by_test_id("push-box")
        box.get_by_role("button", name="Nhận thông báo trên trình duyệt").click()
        page.wait_for_selector("text=Trình duyệt này sẽ nhận cảnh báo cho các xã, phường đã chọn.")
        rows = Subscription.objects.filter(channel="webpush")
        assert sorted(rows.values_list("commune_code", "status")) == [("20194", "active"), ("20197", "active")]
        assert page.evaluate("navigator.serviceWorker.getRegistration('/sw.js').then(r => Boolean(r))")
        box.get_by_role("button", name="Ngừng nhận trên trình duyệt này").click()
        page.wait_for_selector("text=Đã ngừng nhận thông báo trên trình duyệt này.")
        assert set(rows.values_list("status", flat=True)) == {"ended"}
        assert page.console_errors == []
