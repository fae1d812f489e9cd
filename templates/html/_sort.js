(function () {
  "use strict";
  function key(cell, numeric) {
    if (!cell) return null;
    if (numeric) {
      var v = cell.getAttribute("data-v");
      return v === null || v === "" ? null : parseFloat(v);
    }
    var t = cell.textContent.trim();
    return t === "" ? null : t;
  }
  function sortBy(table, index, th) {
    var numeric = th.classList.contains("num");
    var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[index], numeric);
      var y = key(b.cells[index], numeric);
      if (x === null || y === null) return (x === null) - (y === null);
      if (numeric) return dir * (x - y);
      return dir * x.localeCompare(y, undefined, { numeric: true });
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () { sortBy(table, index, th); });
    });
  });
})();
