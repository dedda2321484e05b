// Message template editor: a variable chip inserts {{ name }} where the cursor was, in
// the subject or the text (whichever was last focused), and the live preview follows.
(function () {
  "use strict";

  var form = document.getElementById("template-form");
  if (!form) return;
  var target = form.querySelector("textarea[name=body]");

  form.addEventListener("focusin", function (event) {
    if (event.target.matches("input[name=subject], textarea[name=body]")) target = event.target;
  });

  form.addEventListener("click", function (event) {
    var chip = event.target.closest("[data-insert-variable]");
    if (!chip) return;
    var text = "{{ " + chip.dataset.insertVariable + " }}";
    var start = target.selectionStart, end = target.selectionEnd;
    target.value = target.value.slice(0, start) + text + target.value.slice(end);
    target.focus();
    target.setSelectionRange(start + text.length, start + text.length);
    target.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
