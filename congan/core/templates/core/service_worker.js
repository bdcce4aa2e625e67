{% load i18n %}// Service worker of congan: shows the warnings pushed to this browser (Web Push) and opens the
// warning's page when the notification is clicked. Served from /sw.js so its scope is the site.
"use strict";
const DEFAULT_TITLE = "{{ default_title|escapejs }}";

self.addEventListener("push", (event) => {
  let data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (error) { data = { body: event.data.text() }; }
  }
  const shown = self.registration.showNotification(data.title || DEFAULT_TITLE, {
    body: data.body || "",
    tag: data.tag || undefined,
    data: { url: data.url || "/" },
    requireInteraction: true,
  });
  const receipt = data.receipt
    ? fetch(data.receipt, { method: "POST", credentials: "omit" }).catch(() => undefined)
    : Promise.resolve();
  event.waitUntil(Promise.all([shown, receipt]));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.openWindow(url));
});
