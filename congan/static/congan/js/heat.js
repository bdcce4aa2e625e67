// Heat map of reports: grid cells [lat, lon, count] shaded by their share of the busiest cell.
// Leaflet is vendored; tiles only from a tile server inside the network, if configured.
// The cells (thousands at a province's volume) are drawn on one canvas (L.canvas), not as one SVG
// element each: the page stays responsive while panning and zooming. The shared base map comes
// from map.js unchanged; only this layer chooses the canvas renderer.
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("heat-map");
  if (!element || typeof L === "undefined" || !window.conganBaseMap) return;
  const cells = JSON.parse(document.getElementById("heat-cells").textContent);
  const map = window.conganBaseMap(element, 11);
  if (!cells.length) return;
  const renderer = L.canvas({ padding: 0.5 });
  const busiest = cells[0][2];
  const half = 0.0025;
  const layer = L.layerGroup();
  let south = Infinity, west = Infinity, north = -Infinity, east = -Infinity;
  cells.forEach(([cellLat, cellLon, count]) => {
    const share = count / busiest;
    const colour = share > 0.66 ? "#b91c1c" : share > 0.33 ? "#ea580c" : "#facc15";
    L.rectangle([[cellLat - half, cellLon - half], [cellLat + half, cellLon + half]], {
      renderer,
      stroke: false,
      fillColor: colour,
      fillOpacity: 0.25 + 0.6 * share,
    })
      .bindTooltip(String(count))
      .addTo(layer);
    south = Math.min(south, cellLat - half);
    west = Math.min(west, cellLon - half);
    north = Math.max(north, cellLat + half);
    east = Math.max(east, cellLon + half);
  });
  layer.addTo(map);
  element.dataset.cells = String(cells.length); // what was drawn, for the browser test
  map.fitBounds([[south, west], [north, east]], { padding: [10, 10] });
});
