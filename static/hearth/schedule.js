// Schedule board: places blocks and shading by the server's percentages (the CSP forbids
// style attributes, not styles set from a script), and lets a job from the side panel be
// dropped on a lane (native drag and drop), which proposes that person. The server's
// answer is a fragment: a refusal lands on the lane it was dropped on, a success
// redraws the lanes concerned (hx-swap-oob). The keyboard uses the job panel's buttons.
(function () {
  "use strict";

  if (!document.querySelector("[data-schedule]")) return;

  // Refusals (400: the rules; 409: booked meanwhile, wrong status) carry the reason to show.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "40[09]", swap: true, error: false },
    { code: "...", swap: false, error: true },
  ];

  function place(root) {
    root.querySelectorAll("[data-left]").forEach(function (element) {
      element.style.left = element.dataset.left + "%";
      element.style.width = element.dataset.width + "%";
    });
  }

  htmx.onLoad(place);

  function filters() {
    var values = {};
    var form = document.getElementById("schedule-filters");
    if (form) new FormData(form).forEach(function (value, key) { values[key] = value; });
    return values;
  }

  // A block (a button: the keyboard reaches it too) opens its job's panel.
  var board = document.querySelector("[data-schedule]");
  board.addEventListener("click", function (event) {
    var block = event.target.closest(".block[data-order]");
    if (!block) return;
    var url = board.dataset.jobUrl.replace("/0/", "/" + block.dataset.order + "/");
    htmx.ajax("GET", url, { source: block, target: "#schedule-job", values: filters() });
  });

  document.addEventListener("dragstart", function (event) {
    var job = event.target.closest && event.target.closest("[data-propose-url]");
    if (!job) return;
    event.dataTransfer.setData("text/plain", job.dataset.proposeUrl);
    event.dataTransfer.effectAllowed = "copy";
  });

  document.addEventListener("dragover", function (event) {
    var lane = event.target.closest && event.target.closest("[data-lane]");
    if (!lane) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    lane.classList.add("is-drop-target");
  });

  document.addEventListener("dragleave", function (event) {
    var lane = event.target.closest && event.target.closest("[data-lane]");
    if (lane && !lane.contains(event.relatedTarget)) lane.classList.remove("is-drop-target");
  });

  document.addEventListener("drop", function (event) {
    var lane = event.target.closest && event.target.closest("[data-lane]");
    if (!lane) return;
    event.preventDefault();
    lane.classList.remove("is-drop-target");
    var url = event.dataTransfer.getData("text/plain");
    if (!url) return;
    var values = filters();
    values.staff = lane.dataset.staff;
    htmx.ajax("POST", url, {
      source: lane,
      target: "#lane-" + lane.dataset.staff + "-notice",
      swap: "innerHTML",
      values: values,
    });
  });
})();
