// Sortable tables (tablesort, shipped in assets/vendor/tablesort/): the fact sheet's table.
// Material swaps pages without reloading when navigation.instant is on, so this runs on
// each page Material shows (document$), and falls back to DOMContentLoaded without it.
(function () {
  function sortable() {
    document.querySelectorAll(".sc-sortable table").forEach(function (table) {
      if (!table.dataset.scSortable) {
        table.dataset.scSortable = "yes";
        new Tablesort(table);
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(sortable);
  } else {
    document.addEventListener("DOMContentLoaded", sortable);
  }
})();
