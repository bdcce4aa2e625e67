// Dispatch board: open reports and teams on a Leaflet map (vendored, served by this server).
// Tiles only when a tile server inside the network is configured; otherwise markers on a plain
// background, so the board still works on an isolated intranet.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("board-map");
  if (!element || typeof L === "undefined" || !window.conganBaseMap) return;
  const map = window.conganBaseMap(element, 12);
  const layer = L.layerGroup().addTo(map);
  const colours = { urgent: "#b91c1c", high: "#b45309", normal: "#1d4ed8" };
  const text = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const refresh = () => fetch(element.dataset.source, { credentials: "same-origin" })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data) return;
      layer.clearLayers();
      data.reports.forEach((r) => {
        L.circleMarker([r.lat, r.lon], { radius: 8, color: colours[r.priority] || "#1d4ed8", fillOpacity: 0.7 })
          .bindPopup(`<a href="${text(r.url)}">${text(r.code)}</a><br>${text(r.kind)} · ${text(r.status)}`)
          .addTo(layer);
      });
      (data.cameras || []).forEach((c) => {
        L.circleMarker([c.lat, c.lon], { radius: 4, color: c.online ? "#0f766e" : "#9ca3af", weight: 2, fillOpacity: 0.9 })
          .bindPopup(`${text(c.code)} · ${text(c.kind)}<br>${text(c.name)}`)
          .addTo(layer);
      });
      data.units.forEach((u) => {
        L.circleMarker([u.lat, u.lon], { radius: 6, color: u.status === "available" ? "#15803d" : "#6b7280", weight: 3, fillOpacity: 0.2 })
          .bindPopup(`${text(u.call_sign)} · ${text(u.kind)}<br>${text(u.status_label)}`)
          .addTo(layer);
      });
    })
    .catch(() => {});
  refresh();
  setInterval(refresh, 10000);
});
