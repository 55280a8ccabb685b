/* The map point picker in the Wagtail admin (listings/panels.py MapPointPanel).
   The latitude/longitude fields are the source of truth: a click on the map or a dragged marker
   writes into them, and typing in them moves the marker. Without JavaScript or Leaflet only the
   fields remain, and they are enough. Loaded through the panel's Media (no inline script). */
(function () {
  "use strict";

  function parse(input) {
    if (!input || input.value.trim() === "") return null;
    var value = Number(input.value);
    return isFinite(value) ? value : null;
  }

  function setUp(box) {
    var L = window.L;
    var canvas = box.querySelector("[data-point-picker-canvas]");
    var status = box.querySelector("[data-point-picker-status]");
    var latitude = document.getElementById(box.dataset.latitudeField);
    var longitude = document.getElementById(box.dataset.longitudeField);
    if (!L || !canvas || !latitude || !longitude) return;
    box.dataset.pointPickerReady = "true";

    var address = document.getElementById(box.dataset.addressField);
    var addressText = box.querySelector("[data-point-picker-address]");
    var addressLine = box.querySelector("[data-point-picker-address-line]");
    if (address && addressText) {
      address.addEventListener("input", function () {
        addressText.textContent = address.value;
        addressLine.hidden = address.value.trim() === "";
      });
    }

    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions({
      iconUrl: box.dataset.markerIcon,
      iconRetinaUrl: box.dataset.markerIcon2x,
      shadowUrl: box.dataset.markerShadow,
    });
    canvas.hidden = false;
    var centre = box.dataset.centre.split(",").map(Number);
    var map = L.map(canvas, { scrollWheelZoom: false });
    L.tileLayer(box.dataset.tileUrl, { attribution: box.dataset.attribution, maxZoom: 18 }).addTo(
      map
    );
    map.setView(centre, box.dataset.ownPoint === "true" ? 16 : 13);
    var marker = null;

    function fieldsPoint() {
      var lat = parse(latitude);
      var lng = parse(longitude);
      if (lat === null || lng === null) return null;
      if (lat < -90 || lat > 90 || lng < -180 || lng > 180) return null;
      return [lat, lng];
    }

    function write(point) {
      latitude.value = point.lat.toFixed(6);
      longitude.value = point.lng.toFixed(6);
      // Let Wagtail's unsaved-changes check and anything else listening know.
      [latitude, longitude].forEach(function (input) {
        input.dispatchEvent(new Event("change", { bubbles: true }));
      });
      if (status) {
        status.textContent = (box.dataset.chosen || "") + latitude.value + ", " + longitude.value;
      }
    }

    function place(point) {
      if (!marker) {
        marker = L.marker(point, { draggable: true, keyboard: false }).addTo(map);
        marker.on("dragend", function () {
          write(marker.getLatLng());
        });
      } else {
        marker.setLatLng(point);
      }
    }

    function follow() {
      var point = fieldsPoint();
      if (status) status.textContent = "";
      if (point) {
        place(point);
        map.panTo(point);
      } else if (marker) {
        map.removeLayer(marker);
        marker = null;
      }
    }

    map.on("click", function (event) {
      place(event.latlng);
      write(event.latlng);
    });
    [latitude, longitude].forEach(function (input) {
      input.addEventListener("input", follow);
    });
    var start = fieldsPoint();
    if (start) place(start);

    // The panel often starts in a hidden tab: size the map again when it becomes visible.
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        map.invalidateSize();
      }).observe(canvas);
    }
  }

  function init() {
    document.querySelectorAll("[data-point-picker]").forEach(function (box) {
      if (!box.dataset.pointPickerReady) setUp(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
