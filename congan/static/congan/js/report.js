// Report form: the place comes from the browser's geolocation or from a pin dropped on the map
// (Leaflet, vendored; no tiles unless a tile server inside the network is configured). Either
// fills the hidden coordinates, then HTMX asks the server for possible duplicates
// ("location-changed" event).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-locate]");
  const status = document.querySelector("[data-location-status]");
  const element = document.getElementById("report-map");
  const map = element && typeof L !== "undefined" && window.conganBaseMap ? window.conganBaseMap(element, 12) : null;
  let pin = null;
  const place = (lat, lon, recentre) => {
    document.getElementById("id_latitude").value = lat.toFixed(6);
    document.getElementById("id_longitude").value = lon.toFixed(6);
    if (status) status.textContent = `${lat.toFixed(5)}, ${lon.toFixed(5)}`;
    if (map) {
      if (pin) pin.setLatLng([lat, lon]);
      else pin = L.circleMarker([lat, lon], { radius: 9, color: "#b91c1c", fillOpacity: 0.6 }).addTo(map);
      if (recentre) map.setView([lat, lon], 15);
    }
    document.body.dispatchEvent(new Event("location-changed"));
  };
  if (map) {
    map.on("click", (event) => place(event.latlng.lat, event.latlng.lng, false));
    const lat = parseFloat(document.getElementById("id_latitude").value);
    const lon = parseFloat(document.getElementById("id_longitude").value);
    if (!Number.isNaN(lat) && !Number.isNaN(lon)) place(lat, lon, true);
  }
  if (!button) return;
  if (!("geolocation" in navigator)) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", () => {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      (position) => place(position.coords.latitude, position.coords.longitude, true),
      () => { status.textContent = "✗"; },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
});
