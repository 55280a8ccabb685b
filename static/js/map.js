/* Leaflet maps over the plain lists of places (templates/components/map.html).
   Everything here is an enhancement: without JavaScript or tiles the list stays usable. */
(function () {
  "use strict";
  if (!window.L) return;

  document.querySelectorAll("[data-map]").forEach(function (box) {
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-lat]"));
    var canvas = box.querySelector(".map__canvas");
    if (items.length && canvas) {
      canvas.hidden = false;
      var map = L.map(canvas, { scrollWheelZoom: false });
      L.tileLayer(box.dataset.tileUrl, {
        attribution: box.dataset.attribution,
        maxZoom: 18,
      }).addTo(map);
      var points = [];
      items.forEach(function (item) {
        var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lng)];
        var link = item.querySelector("a");
        var marker = L.marker(point, { title: link.textContent, alt: link.textContent });
        var popup = document.createElement("a");
        popup.href = link.href;
        popup.textContent = link.textContent;
        marker.bindPopup(popup).addTo(map);
        points.push(point);
      });
      if (points.length === 1) map.setView(points[0], 16);
      else map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
    }

    var near = box.querySelector("[data-near-me]");
    if (near && navigator.geolocation) {
      var status = box.querySelector("[data-near-status]");
      near.parentNode.hidden = false;
      near.addEventListener("click", function () {
        status.textContent = near.dataset.waiting || "";
        navigator.geolocation.getCurrentPosition(
          function (position) {
            var url = new URL(window.location.href);
            url.searchParams.set(
              "near",
              position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4)
            );
            url.searchParams.set("sort", "distance");
            url.searchParams.delete("page");
            window.location.href = url.toString();
          },
          function () {
            // Not allowed or not available: let the resident choose their area instead.
            status.textContent = near.dataset.denied || "";
            var area = document.getElementById("search-filters");
            if (area) {
              area.setAttribute("tabindex", "-1");
              area.focus();
            }
          },
          { timeout: 10000, maximumAge: 600000 }
        );
      });
    }
  });
})();
