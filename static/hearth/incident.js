// The incident report on a poor connection: the form is sent in the background and, when
// the network fails, stays on the page as typed and is sent again every few seconds with
// the same hidden submission key, so the office gets it once however often it is sent.
(function () {
  "use strict";

  var RETRY_MS = 5000;

  function send(form, status) {
    var request = { method: "POST", body: new FormData(form), credentials: "same-origin" };
    // Not followed here: the page it leads to shows the result once, so the browser goes.
    request.redirect = "manual";
    fetch(form.action || window.location.href, request)
      .then(function (response) {
        if (response.type === "opaqueredirect") {
          window.location.assign(form.dataset.done);
        } else {
          // The report was refused (its errors): the browser posts it to show them.
          HTMLFormElement.prototype.submit.call(form);
        }
      })
      .catch(function () {
        status.textContent = form.dataset.retrying || "";
        window.setTimeout(function () { send(form, status); }, RETRY_MS);
      });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-resend]") || !window.fetch) return;
    event.preventDefault();
    if (form.dataset.sending) return;
    form.dataset.sending = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var status = form.querySelector("[data-resend-status]");
    status.textContent = form.dataset.sendingText || "";
    send(form, status);
  });
})();
