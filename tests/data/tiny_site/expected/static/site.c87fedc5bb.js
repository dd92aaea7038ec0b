// The search page: Pagefind's UI over the index `sitegen build` writes to
// pagefind/. Loaded on the search page only; browsing the archive needs no
// JavaScript. Kept out of the HTML so a Content-Security-Policy can forbid
// inline scripts.
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root) return;
  var header = document.getElementById("site-search");
  var sortTools = document.querySelector(".search-tools");
  var sortSelect = document.getElementById("search-sort");
  var SORTS = { date: { date: "desc" }, upvotes: { upvotes: "desc" } };
  var ui = null;

  if (typeof window.PagefindUI !== "function") {
    // pagefind-ui.js did not load: a build with --no-search, or a broken upload.
    document.getElementById("search-unavailable").hidden = false;
    return;
  }

  function searchInput() {
    return root.querySelector(".pagefind-ui__search-input");
  }

  // The filters ticked in Pagefind's panel, as triggerFilters() takes them.
  function tickedFilters() {
    var filters = {};
    root.querySelectorAll(".pagefind-ui__filter-checkbox:checked").forEach(function (box) {
      (filters[box.name] = filters[box.name] || []).push(box.value);
    });
    return filters;
  }

  // Keep the address shareable and the header box in step with what is searched.
  function remember(term) {
    var params = new URLSearchParams(window.location.search);
    if (term) params.set("q", term); else params.delete("q");
    if (sortSelect.value) params.set("sort", sortSelect.value); else params.delete("sort");
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    if (header && document.activeElement !== header) header.value = term;
  }

  function start(term, filters) {
    ui = new window.PagefindUI({
      element: root,
      bundlePath: root.dataset.bundle,
      baseUrl: root.dataset.base,
      sort: SORTS[sortSelect.value] || null,
      showImages: false,
      showSubResults: false,
      pageSize: 10,
      debounceTimeoutMs: 150,
      translations: { placeholder: "Search papers", search_label: "Search papers" },
    });
    if (term) ui.triggerSearch(term);
    if (filters && Object.keys(filters).length) ui.triggerFilters(filters);
  }

  var params = new URLSearchParams(window.location.search);
  var initial = (params.get("q") || "").trim();
  if (SORTS[params.get("sort")]) sortSelect.value = params.get("sort");
  sortTools.hidden = false;
  start(initial);
  if (header) header.value = initial;

  root.addEventListener("input", function (event) {
    if (event.target === searchInput()) remember(event.target.value.trim());
  });
  root.addEventListener("click", function (event) {
    if (event.target.closest(".pagefind-ui__search-clear")) remember("");
  });

  // Pagefind's UI takes its order once, so a new order starts it afresh with
  // the same words and ticked filters.
  sortSelect.addEventListener("change", function () {
    var input = searchInput();
    var term = input ? input.value.trim() : initial;
    var filters = tickedFilters();
    ui.destroy();
    start(term, filters);
    remember(term);
  });

  // On this page the header box searches in place instead of reloading.
  if (header && header.form) {
    header.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var term = header.value.trim();
      ui.triggerSearch(term);
      remember(term);
    });
  }
})();
