// Field pages: check-in and check-out carry the phone's position when the device offers it,
// and a form is sent once however often it is tapped.
// A form marked data-geolocate asks navigator.geolocation once, fills its hidden
// latitude/longitude/accuracy, then submits; without a position (no API, refused,
// too slow) it submits all the same: the position is a help, never a condition.
(function () {
  "use strict";

  var WAIT_MS = 12000;

  function fill(form, name, value) {
    var input = form.querySelector("input[name='" + name + "']");
    if (input) input.value = value;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-geolocate]")) return;
    if (form.dataset.located === "asking") {
      event.preventDefault();
      return;
    }
    if (form.dataset.located || !("geolocation" in navigator)) return;
    event.preventDefault();
    form.dataset.located = "asking";
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector("[data-geolocate-status]");
    if (button) button.disabled = true;
    if (status) status.textContent = form.dataset.locating || "";

    var sent = false;
    function send() {
      if (sent) return;
      sent = true;
      form.dataset.located = "done";
      form.submit();
    }
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var coords = position.coords;
        fill(form, "latitude", coords.latitude.toFixed(6));
        fill(form, "longitude", coords.longitude.toFixed(6));
        if (typeof coords.accuracy === "number" && isFinite(coords.accuracy)) {
          fill(form, "accuracy", String(Math.round(coords.accuracy)));
        }
        send();
      },
      send,
      { enableHighAccuracy: true, timeout: WAIT_MS - 2000, maximumAge: 60000 }
    );
    // Some browsers never answer while the permission prompt is ignored.
    window.setTimeout(send, WAIT_MS);
  });

  // A second tap while the first is on its way would write the entry twice.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.closest(".field-page")) return;
    if (form.dataset.sending) {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "yes";
  });

  // Back from the next page (bfcache): the buttons work again, and ask afresh.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll(".field-page form").forEach(function (form) {
      delete form.dataset.sending;
    });
    document.querySelectorAll("form[data-geolocate]").forEach(function (form) {
      delete form.dataset.located;
      ["latitude", "longitude", "accuracy"].forEach(function (name) { fill(form, name, ""); });
      var button = form.querySelector("button[type=submit]");
      if (button) button.disabled = false;
      var status = form.querySelector("[data-geolocate-status]");
      if (status) status.textContent = "";
    });
  });
})();
