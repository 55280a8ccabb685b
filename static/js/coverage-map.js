/* The coverage report's map (staffdesk/templates/staffdesk/coverage.html): one marker per area
   with its count of listings, red where there are none. Everything comes from the table's rows
   (data-lat/data-lng/data-total), which stay the accessible source of truth; the markers are
   not in the tab order for that reason. Without JavaScript or Leaflet the table is all there is. */
(function () {
  "use strict";

  function setUp(box) {
    var L = window.L;
    var canvas = box.querySelector("[data-coverage-map-canvas]");
    var rows = document.querySelectorAll("[data-coverage] tr[data-lat]");
    if (!L || !canvas || !rows.length) return;
    canvas.hidden = false;

    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(
      map
    );
    var layers = [L.layerGroup(), L.layerGroup()]; // 圏域, 地区
    var points = [];
    rows.forEach(function (row) {
      var point = [parseFloat(row.dataset.lat), parseFloat(row.dataset.lng)];
      var total = parseInt(row.dataset.total, 10) || 0;
      var label = row.dataset.name + "：" + total + (box.dataset.countLabel || "");
      var icon = L.divIcon({
        className: "coverage-marker" + (total ? "" : " coverage-marker--empty"),
        html: "<span>" + total + "</span>",
        iconSize: [34, 34],
        iconAnchor: [17, 17],
      });
      var marker = L.marker(point, { icon: icon, title: label, alt: label, keyboard: false });
      var tip = document.createElement("span"); // text, never HTML: area names are typed in
      tip.textContent = label;
      marker.bindTooltip(tip);
      marker.on("add", function () {
        var element = marker.getElement();
        if (element) {
          element.dataset.area = row.dataset.area;
          element.dataset.total = String(total);
        }
      });
      layers[row.dataset.depth === "0" ? 0 : 1].addLayer(marker);
      points.push(point);
    });
    var base = {};
    base[box.dataset.layerUpper] = layers[0];
    base[box.dataset.layerLower] = layers[1];
    // Start with 地区 (finer) when there are any, else 圏域.
    (layers[1].getLayers().length ? layers[1] : layers[0]).addTo(map);
    L.control.layers(base, null, { collapsed: false }).addTo(map);
    if (points.length === 1) map.setView(points[0], 14);
    else map.fitBounds(points, { padding: [32, 32], maxZoom: 15 });
  }

  function init() {
    document.querySelectorAll("[data-coverage-map]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
