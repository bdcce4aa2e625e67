// The base map of every map page: Leaflet (vendored, served by this server) centred on the
// province. Tiles only from a tile server inside the network (data-tiles); otherwise a plain
// background, so maps still work on an isolated intranet.
window.conganBaseMap = (element, zoom) => {
  const [lat, lon] = element.dataset.centre.split(",").map(Number);
  const map = L.map(element, { zoomControl: true }).setView([lat, lon], zoom);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, { maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add("no-tiles");
  }
  return map;
};
