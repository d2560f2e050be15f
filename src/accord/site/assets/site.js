/* accord site: filter the contract index as you type (no network, no dependencies). */
(function () {
  "use strict";
  var q = document.getElementById("q");
  var table = document.getElementById("contracts");
  if (!q || !table) { return; }
  var status = document.getElementById("status");
  var kind = document.getElementById("kind");
  var count = document.getElementById("count");
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  function apply() {
    var text = q.value.trim().toLowerCase();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!text || row.getAttribute("data-search").indexOf(text) !== -1) &&
        (!status.value || row.getAttribute("data-status") === status.value) &&
        (!kind.value || row.getAttribute("data-kind") === kind.value);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " contracts";
  }
  q.addEventListener("input", apply);
  status.addEventListener("change", apply);
  kind.addEventListener("change", apply);
  q.closest("form").addEventListener("submit", function (event) { event.preventDefault(); });
  var initial = new URLSearchParams(window.location.search).get("q");
  if (initial) { q.value = initial; }
  apply();
}());
