// The signature box of a contract: signature_pad draws on the canvas; on submit the
// drawing goes into the form's hidden `image` field as a PNG data URL. An empty box is
// not sent: the page says to draw first.
(function () {
  "use strict";

  function fit(canvas, pad) {
    // The canvas drawn at the screen's pixel density, as wide as its box (a phone's too).
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var drawing = pad.toData();
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    pad.fromData(drawing);
  }

  function setUp(form) {
    var canvas = form.querySelector("[data-signature-pad]");
    var empty = form.querySelector("[data-signature-empty]");
    var pad = new window.SignaturePad(canvas, { penColor: "#111" });
    fit(canvas, pad);
    window.addEventListener("resize", function () { fit(canvas, pad); });
    form.querySelector("[data-signature-clear]").addEventListener("click", function () {
      pad.clear();
    });
    form.addEventListener("submit", function (event) {
      if (pad.isEmpty()) {
        event.preventDefault();
        empty.hidden = false;
        return;
      }
      form.querySelector("input[name=image]").value = pad.toDataURL("image/png");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-signature-form]").forEach(setUp);
  });
})();
