// Hearth shell: auto-submitting switchers, the phone menu, keyboard shortcuts.
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    if (event.target.matches("select[data-autosubmit]")) {
      event.target.form.requestSubmit();
    }
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var sidebar = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = sidebar.classList.toggle("is-open");
      toggle.setAttribute("aria-expanded", String(open));
      return;
    }
    // A click anywhere on a row opens its detail, unless it was on a link or button.
    var row = event.target.closest("tr[data-href]");
    if (row && !event.target.closest("a, button, input, select, label")) {
      window.location.href = row.dataset.href;
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-on-focus]")) event.target.select();
  });

  function typing(target) {
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("table[data-rows] tbody tr[data-href]"));
  }

  function moveSelection(step) {
    var all = rows();
    if (!all.length) return;
    var index = all.findIndex(function (row) { return row.classList.contains("is-selected"); });
    if (index >= 0) all[index].classList.remove("is-selected");
    index = Math.min(all.length - 1, Math.max(0, index + step));
    all[index].classList.add("is-selected");
    all[index].scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var search = document.querySelector("[data-search], input[type=search]");
    var selected = document.querySelector("tr.is-selected[data-href]");
    var primary = document.querySelector("[data-shortcut='n']");
    var dialog = document.getElementById("shortcuts");
    switch (event.key) {
      case "/":
        if (search) { event.preventDefault(); search.focus(); }
        break;
      case "j": moveSelection(1); break;
      case "k": moveSelection(-1); break;
      case "Enter":
        if (selected) window.location.href = selected.dataset.href;
        break;
      case "n":
        if (primary) primary.click();
        break;
      case "?":
        if (dialog && !dialog.open) dialog.showModal();
        break;
    }
  });
})();
