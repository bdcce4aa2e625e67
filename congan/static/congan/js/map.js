// The base map of every map page: Leaflet (vendored, served by this server) centred on the
// province. In order of preference (decision 0023):
//   1. a tile server inside the network (the map element's data-tiles, INCIDENTS_TILE_URL);
//   2. the operator's base map file served by this server (meta[name=congan-map] data-basemap:
//      "pmtiles" read by protomaps-leaflet with range requests, "vector" tiles drawn by it too,
//      "raster" tiles drawn by Leaflet), over the offline land for what lies outside the file;
//   3. the offline land and sea (static/congan/geo/land.geojson, decision 0021).
// On every map: the imported commune boundaries as thin outlines under the overlays, the
// archipelagos by name at every zoom, and the communes by name from zoom 11.
// Where each archipelago's name is written (its name, in the page's language, from base.html).
const ARCHIPELAGOS = [
  ["hoangSa", 16.5, 111.9],
  ["truongSa", 9.9, 114.3],
];
const COMMUNE_LABEL_ZOOM = 11;
const OUTLINE = { color: "#6d5a8c", weight: 1.2, opacity: 0.85, dashArray: "5 3", fill: false };
const requests = {}; // one download of each shared file per page, however many maps it has

function once(key, make) {
  requests[key] = requests[key] || make();
  return requests[key];
}

function json(url) {
  return fetch(url)
    .then((r) => (r.ok ? r.json() : null))
    .catch(() => null);
}

function label(text, className) {
  const span = document.createElement("span");
  span.textContent = text;
  return L.divIcon({ className: `map-label ${className}`, html: span, iconSize: null });
}

function plain(text) {
  const span = document.createElement("span");
  span.textContent = text; // the file's attribution, as text (Leaflet writes it as HTML)
  return span.innerHTML;
}

// The renderer of vector tiles (vendored protomaps-leaflet), loaded only by maps that need it.
function renderer(src) {
  return once("renderer", () =>
    window.protomapsL
      ? Promise.resolve(window.protomapsL)
      : new Promise((resolve) => {
          const script = document.createElement("script");
          script.src = src;
          script.onload = () => resolve(window.protomapsL || null);
          script.onerror = () => resolve(null);
          document.head.appendChild(script);
        }),
  );
}

function panes(map) {
  map.createPane("base").style.zIndex = 150; // the land: under any tile (200)
  map.createPane("outlines").style.zIndex = 300; // commune boundaries: over the tiles, under every overlay (400)
  map.createPane("labels").style.zIndex = 390;
  map.getPane("outlines").style.pointerEvents = "none";
  map.getPane("labels").style.pointerEvents = "none";
}

function land(map, element, config) {
  element.classList.add("offline-base");
  if (!config.land) return;
  once("land", () => json(config.land)).then((geojson) => {
    if (!geojson) return;
    const style = { color: "#a39a7c", weight: 0.8, fillColor: "#f5f2e9", fillOpacity: 1 };
    L.geoJSON(geojson, { pane: "base", interactive: false, style }).addTo(map);
  });
}

function baseFile(map, element, config) {
  const [minZoom, maxZoom] = config.basemapZooms.split(",").map(Number);
  const [south, west, north, east] = config.basemapBounds.split(",").map(Number);
  const options = {
    bounds: L.latLngBounds([south, west], [north, east]), // outside the file: the land shows
    minZoom,
    maxZoom: 19,
    attribution: plain(config.basemapAttribution || ""),
  };
  element.dataset.basemap = config.basemap;
  if (config.basemap === "raster") {
    L.tileLayer(config.basemapUrl, { ...options, maxNativeZoom: maxZoom }).addTo(map);
    return;
  }
  renderer(config.renderer).then((protomaps) => {
    if (!protomaps) return;
    const lang = document.documentElement.lang === "en" ? "en" : "vi";
    const layer = protomaps.leafletLayer({ ...options, url: config.basemapUrl, flavor: "light", lang, maxDataZoom: maxZoom });
    layer.backgroundColor = ""; // where the file has no data, the land under it shows, not grey
    layer.addTo(map);
  });
}

function names(map, config) {
  ARCHIPELAGOS.forEach(([key, lat, lon]) => {
    if (!config[key]) return;
    L.marker([lat, lon], { icon: label(config[key], "sea-label"), pane: "labels", interactive: false, keyboard: false }).addTo(map);
  });
  const places = config.communes ? once("communes", () => json(config.communes)) : Promise.resolve(null);
  const outlines = config.boundaries ? once("boundaries", () => json(config.boundaries)) : Promise.resolve(null);
  Promise.all([places, outlines]).then(([placeData, outlineData]) => {
    const features = outlineData?.features || [];
    if (features.length) {
      L.geoJSON(outlineData, { pane: "outlines", interactive: false, style: OUTLINE }).addTo(map);
    }
    // A commune with a boundary is named inside it; one without, at its police's seat.
    const bounded = new Set(features.map((f) => f.properties.code));
    const markers = features
      .map((f) => [f.properties.name, f.properties.label])
      .concat((placeData?.communes || []).filter((c) => !bounded.has(c.code)).map((c) => [c.name, [c.lat, c.lon]]))
      .map(([name, at]) => L.marker(at, { icon: label(name, "commune-label"), pane: "labels", interactive: false, keyboard: false }));
    const group = L.layerGroup(markers);
    const show = () => (map.getZoom() >= COMMUNE_LABEL_ZOOM ? group.addTo(map) : group.remove());
    map.on("zoomend", show);
    show();
  });
}

window.conganBaseMap = (element, zoom) => {
  const [lat, lon] = element.dataset.centre.split(",").map(Number);
  const map = L.map(element, { zoomControl: true }).setView([lat, lon], zoom);
  const config = document.querySelector("meta[name=congan-map]")?.dataset || {};
  panes(map);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-tiles");
    land(map, element, config);
    if (config.basemap) baseFile(map, element, config);
  }
  names(map, config);
  return map;
};
