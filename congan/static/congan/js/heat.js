// Heat map of reports: grid cells [lat, lon, count] shaded by their share of the busiest cell.
// Leaflet is vendored; tiles only from a tile server inside the network, if configured.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("heat-map");
  if (!element || typeof L === "undefined" || !window.conganBaseMap) return;
  const cells = JSON.parse(document.getElementById("heat-cells").textContent);
  const map = window.conganBaseMap(element, 11);
  if (!cells.length) return;
  const busiest = cells[0][2];
  const half = 0.0025;
  const shapes = cells.map(([cellLat, cellLon, count]) => {
    const share = count / busiest;
    const colour = share > 0.66 ? "#b91c1c" : share > 0.33 ? "#ea580c" : "#facc15";
    return L.rectangle([[cellLat - half, cellLon - half], [cellLat + half, cellLon + half]],
      { stroke: false, fillColor: colour, fillOpacity: 0.25 + 0.6 * share })
      .bindTooltip(String(count))
      .addTo(map);
  });
  map.fitBounds(L.featureGroup(shapes).getBounds(), { padding: [10, 10] });
});
