// "Receive warnings in this browser": registers the service worker (/sw.js), asks the browser's
// push service for a subscription with the server's VAPID key, and sends it with the chosen
// communes (or the shared location) to the API. The tokens it gets back are kept in this browser
// so the same button can stop the notifications again.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const button = box.querySelector("[data-push-subscribe]");
  const stop = box.querySelector("[data-push-unsubscribe]");
  const status = box.querySelector("[data-push-status]");
  const say = (key) => { status.textContent = box.dataset[key] || key; };
  const STORE = "congan.push.tokens";
  const stored = () => JSON.parse(localStorage.getItem(STORE) || "[]");
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    button.disabled = true;
    say("msgUnsupported");
    return;
  }
  stop.hidden = stored().length === 0;

  const keyBytes = (base64url) => {
    const base64 = (base64url + "=".repeat((4 - (base64url.length % 4)) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };
  const areas = () => {
    const select = document.getElementById("id_commune_codes");
    const body = { commune_codes: select ? Array.from(select.selectedOptions, (o) => o.value) : [] };
    const lat = parseFloat((document.getElementById("id_latitude") || {}).value);
    const lon = parseFloat((document.getElementById("id_longitude") || {}).value);
    if (!Number.isNaN(lat) && !Number.isNaN(lon)) Object.assign(body, { latitude: lat, longitude: lon });
    return body;
  };
  const problem = async (response) => {
    try {
      const error = await response.json();
      const details = Object.values(error.details || {}).flat().join(" ");
      return [error.message, details].filter(Boolean).join(" ");
    } catch (e) {
      return `HTTP ${response.status}`;
    }
  };

  button.addEventListener("click", async () => {
    say("msgWorking");
    try {
      if ((await Notification.requestPermission()) !== "granted") { say("msgDenied"); return; }
      const registration = await navigator.serviceWorker.register(box.dataset.worker);
      await navigator.serviceWorker.ready;
      const subscription = (await registration.pushManager.getSubscription())
        || (await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.key) }));
      const response = await fetch(box.dataset.api, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": box.dataset.csrf },
        body: JSON.stringify({ subscription: subscription.toJSON(), ...areas() }),
      });
      if (!response.ok) { status.textContent = await problem(response); return; }
      const rows = await response.json();
      localStorage.setItem(STORE, JSON.stringify([...new Set([...stored(), ...rows.map((row) => row.token)])]));
      stop.hidden = false;
      say("msgDone");
    } catch (error) {
      status.textContent = `${box.dataset.msgFailed} (${error.name})`;
    }
  });

  stop.addEventListener("click", async () => {
    for (const token of stored()) {
      await fetch(`${box.dataset.api.replace(/push\/?$/, "")}${encodeURIComponent(token)}`, {
        method: "DELETE", headers: { "X-CSRFToken": box.dataset.csrf },
      }).catch(() => undefined);
    }
    localStorage.removeItem(STORE);
    const registration = await navigator.serviceWorker.getRegistration(box.dataset.worker);
    const subscription = registration && (await registration.pushManager.getSubscription());
    if (subscription) await subscription.unsubscribe();
    stop.hidden = true;
    say("msgStopped");
  });
});
