// The base map of every map page: Leaflet (vendored, served by this server) centred on the
// province. Tiles only from a tile server inside the network (data-tiles); otherwise the offline
// base drawn from this server: land and sea (static/congan/geo/land.geojson), the archipelagos
// by name, and the communes' names from zoom 11 (meta[name=congan-map] in base.html).
// Where each archipelago's name is written (its name, in the page's language, from base.html).
const ARCHIPELAGOS = [
  ["hoangSa", 16.5, 111.9],
  ["truongSa", 9.9, 114.3],
];
const COMMUNE_LABEL_ZOOM = 11;
let landRequest = null; // one download per page, however many maps it has

function label(text, className) {
  const span = document.createElement("span");
  span.textContent = text;
  return L.divIcon({ className: `map-label ${className}`, html: span, iconSize: null });
}

function offlineBase(map, element) {
  const config = document.querySelector("meta[name=congan-map]")?.dataset || {};
  element.classList.add("offline-base");
  map.createPane("base").style.zIndex = 250; // under every overlay
  map.createPane("labels").style.zIndex = 390;
  map.getPane("labels").style.pointerEvents = "none";
  if (config.land) {
    landRequest = landRequest || fetch(config.land).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    landRequest.then((land) => {
      if (!land) return;
      const style = { color: "#a39a7c", weight: 0.8, fillColor: "#f5f2e9", fillOpacity: 1 };
      L.geoJSON(land, { pane: "base", interactive: false, style }).addTo(map);
    });
  }
  ARCHIPELAGOS.forEach(([key, lat, lon]) => {
    if (!config[key]) return;
    L.marker([lat, lon], { icon: label(config[key], "sea-label"), pane: "labels", interactive: false, keyboard: false }).addTo(map);
  });
  if (!config.communes) return;
  fetch(config.communes)
    .then((r) => (r.ok ? r.json() : { communes: [] }))
    .catch(() => ({ communes: [] }))
    .then((data) => {
      const names = L.layerGroup(
        data.communes.map((c) =>
          L.marker([c.lat, c.lon], { icon: label(c.name, "commune-label"), pane: "labels", interactive: false, keyboard: false }),
        ),
      );
      const show = () => (map.getZoom() >= COMMUNE_LABEL_ZOOM ? names.addTo(map) : names.remove());
      map.on("zoomend", show);
      show();
    });
}

window.conganBaseMap = (element, zoom) => {
  const [lat, lon] = element.dataset.centre.split(",").map(Number);
  const map = L.map(element, { zoomControl: true }).setView([lat, lon], zoom);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-tiles");
    offlineBase(map, element);
  }
  return map;
};
