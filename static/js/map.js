/* Leaflet maps over the plain lists of places (templates/components/map.html).
   Everything here is an enhancement: without JavaScript, Leaflet or tiles the page stays usable.
   Leaflet itself (~45 KB compressed, plus its tiles) is fetched only when a map is shown: at once
   on the search results' map view (the resident chose it), on a listing page only after the
   "地図を表示する" button. */
(function () {
  "use strict";

  var leaflet = null; // one promise per page, shared by every map

  function loadFile(tag, attributes) {
    return new Promise(function (resolve, reject) {
      var element = document.createElement(tag);
      Object.keys(attributes).forEach(function (name) {
        element[name] = attributes[name];
      });
      element.onload = function () {
        resolve(element);
      };
      element.onerror = function () {
        element.parentNode.removeChild(element);
        reject(new Error("could not load " + (attributes.src || attributes.href)));
      };
      document.head.appendChild(element);
    });
  }

  function loadLeaflet(box) {
    if (window.L) return Promise.resolve(window.L);
    if (!leaflet) {
      leaflet = Promise.all([
        loadFile("link", { rel: "stylesheet", href: box.dataset.leafletCss }),
        loadFile("script", { src: box.dataset.leafletJs }),
      ]).then(
        function () {
          if (!window.L) throw new Error("Leaflet did not start");
          return window.L;
        },
        function (error) {
          leaflet = null; // let a later attempt try again
          throw error;
        }
      );
    }
    return leaflet;
  }

  function buildMap(L, box, canvas) {
    // Explicit icon URLs: Leaflet guesses them from its CSS, which fails with hashed file names.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: box.dataset.markerIcon,
      iconRetinaUrl: box.dataset.markerIcon2x,
      shadowUrl: box.dataset.markerShadow,
    });
    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, {
      attribution: box.dataset.attribution,
      maxZoom: 18,
    }).addTo(map);
    var points = [];
    box.querySelectorAll("li[data-lat]").forEach(function (item) {
      var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lng)];
      var link = item.querySelector("a");
      // Not in the tab order: the list of places under the map has the same links, in order and
      // with addresses (WCAG 2.5.8's "equivalent control"; markers of a city-wide result map can
      // sit a few pixels apart). Pointer and touch users still open the marker's popup.
      var marker = L.marker(point, {
        title: link.textContent,
        alt: link.textContent,
        keyboard: false,
      });
      var popup = document.createElement("a");
      popup.href = link.href;
      popup.textContent = link.textContent;
      if (link.lang) popup.lang = link.lang;
      marker.bindPopup(popup).addTo(map);
      points.push(point);
    });
    if (points.length === 1) map.setView(points[0], 16);
    else map.fitBounds(points, { padding: [24, 24], maxZoom: 16 });
    return map;
  }

  function setUpMap(box) {
    var canvas = box.querySelector(".map__canvas");
    var status = box.querySelector("[data-map-status]");
    var showButton = box.querySelector("[data-map-show]");
    var map = null;
    if (!canvas || !box.querySelector("li[data-lat]")) return;

    function show() {
      canvas.hidden = false;
      if (map) {
        map.invalidateSize();
        return Promise.resolve(map);
      }
      if (status) status.textContent = box.dataset.loading || "";
      return loadLeaflet(box).then(
        function (L) {
          if (status) status.textContent = "";
          if (!map) map = buildMap(L, box, canvas);
          return map;
        },
        function () {
          canvas.hidden = true;
          if (status) status.textContent = box.dataset.failed || "";
          if (showButton) setExpanded(false);
        }
      );
    }

    function setExpanded(expanded) {
      showButton.setAttribute("aria-expanded", expanded ? "true" : "false");
      showButton.textContent = expanded
        ? showButton.dataset.hideLabel
        : showButton.dataset.showLabel;
    }

    if (box.dataset.load === "on-request" && showButton) {
      showButton.parentNode.hidden = false;
      showButton.addEventListener("click", function () {
        if (showButton.getAttribute("aria-expanded") === "true") {
          canvas.hidden = true;
          setExpanded(false);
        } else {
          setExpanded(true);
          show();
        }
      });
    } else {
      show();
    }
  }

  function setUpNearMe(box) {
    var near = box.querySelector("[data-near-me]");
    if (!near || !navigator.geolocation) return;
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

  if (!window.Promise || !document.head) return;
  document.querySelectorAll("[data-map]").forEach(function (box) {
    setUpMap(box);
    setUpNearMe(box);
  });
})();
