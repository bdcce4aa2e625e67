// Warning area on a Leaflet map (vendored). "view": shows the polygon or circle of an alert.
// "draw": click to add polygon corners, or click a centre for a circle; the shape is written to
// the form's hidden fields (polygon as JSON [[lat, lon], …], circle centre and radius).
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("alert-map");
  if (!element || typeof L === "undefined" || !window.conganBaseMap) return;
  const map = window.conganBaseMap(element, 11);
  const layer = L.layerGroup().addTo(map);
  const style = { color: "#b91c1c", weight: 2, fillOpacity: 0.15 };
  const show = (polygon, circle, fit = true) => {
    layer.clearLayers();
    const shapes = [];
    if (polygon && polygon.length) {
      shapes.push(L.polygon(polygon, style).addTo(layer));
      polygon.forEach((point) => L.circleMarker(point, { radius: 3, color: "#b91c1c" }).addTo(layer));
    }
    if (circle) shapes.push(L.circle([circle[0], circle[1]], { ...style, radius: circle[2] * 1000 }).addTo(layer));
    const bounds = shapes.reduce((all, shape) => all.extend(shape.getBounds()), L.latLngBounds([]));
    if (fit && bounds.isValid()) map.fitBounds(bounds, { maxZoom: 14, padding: [20, 20] });
  };
  const area = JSON.parse(document.getElementById("alert-area").textContent);
  if (element.dataset.mode !== "draw") {
    show(area.polygon, area.circle);
    return;
  }
  const field = (id) => document.getElementById(id);
  const polygonInput = field("id_polygon");
  const radiusInput = field("id_circle_radius_km");
  let polygon = area.polygon || [];
  let centre = area.circle ? [area.circle[0], area.circle[1]] : null;
  let mode = "polygon";
  const circle = () => (centre && Number(radiusInput.value) > 0 ? [centre[0], centre[1], Number(radiusInput.value)] : null);
  const save = () => {
    polygonInput.value = polygon.length ? JSON.stringify(polygon) : "";
    field("id_circle_latitude").value = centre ? centre[0].toFixed(6) : "";
    field("id_circle_longitude").value = centre ? centre[1].toFixed(6) : "";
    if (!centre) radiusInput.value = "";
    show(polygon, circle(), false); // the view stays put while drawing
  };
  const status = document.querySelector("[data-draw-status]");
  const setMode = (next) => {
    mode = next;
    document.querySelectorAll("[data-draw]").forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.draw === mode)));
    if (status) status.textContent = status.dataset[mode] || "";
  };
  document.querySelectorAll("[data-draw]").forEach((button) => button.addEventListener("click", () => {
    if (button.dataset.draw === "clear") {
      polygon = [];
      centre = null;
      save();
      return;
    }
    setMode(button.dataset.draw);
  }));
  map.on("click", (event) => {
    const point = [Number(event.latlng.lat.toFixed(6)), Number(event.latlng.lng.toFixed(6))];
    if (mode === "circle") {
      centre = point;
      if (!(Number(radiusInput.value) > 0)) radiusInput.value = "1";
    } else {
      polygon.push(point);
    }
    save();
  });
  radiusInput.addEventListener("input", save);
  setMode("polygon");
  show(polygon, circle());
});
