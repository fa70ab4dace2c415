// The report's filters: a verdict button and a text search over the entries' rows.
(function () {
  "use strict";
  var bar = document.getElementById("filters");
  var table = document.getElementById("entries");
  if (!bar || !table) return;
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var texts = rows.map(function (row) { return row.textContent.toLowerCase(); });
  var buttons = Array.prototype.slice.call(bar.querySelectorAll("button[data-verdict]"));
  var search = document.getElementById("search");
  var shown = document.getElementById("shown");
  var none = document.getElementById("none");
  var verdict = "all";

  function apply() {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var n = 0;
    rows.forEach(function (row, i) {
      var ok = (verdict === "all" || row.getAttribute("data-verdict") === verdict) &&
        words.every(function (w) { return texts[i].indexOf(w) !== -1; });
      row.hidden = !ok;
      if (ok) n += 1;
    });
    shown.textContent = n + " of " + rows.length + " shown";
    none.hidden = n !== 0;
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () {
      verdict = button.getAttribute("data-verdict");
      buttons.forEach(function (b) { b.setAttribute("aria-pressed", b === button ? "true" : "false"); });
      apply();
    });
  });
  search.addEventListener("input", apply);
  bar.hidden = false;
  apply();
})();
