// Report form: fill the hidden coordinates from the browser's geolocation, then let HTMX ask
// the server for possible duplicates ("location-changed" event). No map tiles, no network
// beyond this server.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("[data-locate]");
  const status = document.querySelector("[data-location-status]");
  if (!button) return;
  if (!("geolocation" in navigator)) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", () => {
    status.textContent = button.dataset.waiting || "…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        document.getElementById("id_latitude").value = position.coords.latitude.toFixed(6);
        document.getElementById("id_longitude").value = position.coords.longitude.toFixed(6);
        status.textContent = `${position.coords.latitude.toFixed(5)}, ${position.coords.longitude.toFixed(5)}`;
        document.body.dispatchEvent(new Event("location-changed"));
      },
      () => { status.textContent = "✗"; },
      { enableHighAccuracy: true, timeout: 10000 },
    );
  });
});
