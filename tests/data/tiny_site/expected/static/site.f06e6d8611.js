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
    params.delete("filter");
    var ticked = tickedFilters();
    Object.keys(ticked).forEach(function (name) {
      ticked[name].forEach(function (value) { params.append("filter", name + ":" + value); });
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
    if (header && document.activeElement !== header) header.value = term;
  }

  // A large archive's index comes in shards, each its own Pagefind bundle;
  // the first one names the others (sitegen/search_index.py), and the UI
  // searches them all as one. Missing or unreadable: search the first alone.
  var shards = window.fetch(root.dataset.bundle + "sitegen-shards.json")
    .then(function (response) { return response.ok ? response.json() : { bundles: [] }; })
    .then(function (manifest) {
      return (manifest.bundles || []).map(function (path) {
        var bundle = new URL(path, new URL(root.dataset.bundle, window.location.href));
        return { bundlePath: bundle.pathname, baseUrl: root.dataset.base };
      });
    })
    .catch(function () { return []; });

  var merged = [];  // the other shards, once known

  function start(term, filters) {
    ui = new window.PagefindUI({
      element: root,
      bundlePath: root.dataset.bundle,
      mergeIndex: merged,
      baseUrl: root.dataset.base,
      sort: SORTS[sortSelect.value] || null,
      showImages: false,
      showSubResults: false,
      pageSize: 10,
      debounceTimeoutMs: 150,
      translations: { placeholder: "Search papers", search_label: "Search papers" },
    });
    // The UI loads Pagefind when its box first gets focus. A reader on this
    // page is about to search, so load it now: the filters are then more
    // likely in before the first search ends (see completeFilters). A focus
    // event starts that without moving the reader's focus.
    var input = searchInput();
    if (input) input.dispatchEvent(new FocusEvent("focus"));
    if (!term && !(filters && Object.keys(filters).length)) return;
    // Search only once the UI shows its filters: a search it runs while they
    // load leaves facet counts that disagree with the results (a shared ?q=
    // link used to show "(14)" on a filter that then gave 13).
    when(filterShown, function () {
      if (term) ui.triggerSearch(term);
      if (filters && Object.keys(filters).length) ui.triggerFilters(filters);
    }, 5000);  // an index without filters: search anyway
  }

  function filterShown() {
    return root.querySelector(".pagefind-ui__filter-block");
  }

  // Calls `then` once `ready()` holds for what the UI shows, or after `giveUpMs` if given.
  function when(ready, then, giveUpMs) {
    if (ready()) return then();
    var observer = new MutationObserver(function () {
      if (ready()) done();
    });
    var timer = giveUpMs ? window.setTimeout(done, giveUpMs) : null;
    function done() {
      observer.disconnect();
      window.clearTimeout(timer);
      then();
    }
    observer.observe(root, { childList: true, subtree: true });
  }

  // The UI shows the filters its latest search counted, and a search counts
  // only the filter chunks loaded by then: words typed while they load left
  // the panel without some filters (Tag, say) until the next search. Once the
  // UI shows a filter, it has loaded Pagefind with every shard; asking that
  // same Pagefind module for every filter waits for every chunk, and if the
  // panel still lacks one, the search runs again.
  function completeFilters() {
    var module = new URL(root.dataset.bundle + "pagefind.js", window.location.href).href;
    when(filterShown, function () {
      import(module)
        .then(function (pagefind) { return pagefind.filters(); })
        .then(function (every) {
          var names = Object.keys(every);
          var complete = function (groups) { return names.every(function (name) { return groups[name]; }); };
          var groups = filterGroups();
          var input = searchInput();
          if (complete(groups) || !input || !input.value.trim()) return;
          // The UI reuses each group's element for whichever filter comes to its
          // place, open or closed: the groups the reader opened stay open by name.
          var opened = Object.keys(groups).filter(function (name) { return groups[name].open; });
          when(function () { return complete(filterGroups()); }, function () {
            var now = filterGroups();
            Object.keys(now).forEach(function (name) { now[name].open = opened.indexOf(name) >= 0; });
          });
          ui.triggerFilters(tickedFilters());  // searches again
        })
        .catch(function () {});  // the UI reports a Pagefind that fails to load
    });
  }

  // The filter groups the panel shows, by filter name: each one's <details>.
  function filterGroups() {
    var groups = {};
    root.querySelectorAll(".pagefind-ui__filter-block").forEach(function (block) {
      var label = block.querySelector(".pagefind-ui__filter-group-label");
      if (label) groups[label.textContent] = block;
    });
    return groups;
  }

  var params = new URLSearchParams(window.location.search);
  var initial = (params.get("q") || "").trim();
  if (SORTS[params.get("sort")]) sortSelect.value = params.get("sort");
  sortTools.hidden = false;
  if (header) header.value = initial;
  var initialFilters = {};
  params.getAll("filter").forEach(function (pair) {
    var colon = pair.indexOf(":");
    if (colon < 1) return;
    var name = pair.slice(0, colon);
    (initialFilters[name] = initialFilters[name] || []).push(pair.slice(colon + 1));
  });
  shards.then(function (found) {
    merged = found;
    start(initial, initialFilters);
    completeFilters();
  });

  root.addEventListener("input", function (event) {
    if (event.target === searchInput()) remember(event.target.value.trim());
  });
  root.addEventListener("click", function (event) {
    if (event.target.closest(".pagefind-ui__search-clear")) remember("");
  });

  // Pagefind's UI takes its order once. Destroying it and starting another
  // in the same page races: Pagefind releases its shared worker only after
  // the new UI has sent it messages, and then rejects those too (the new
  // UI shows nothing). So a new order loads the page afresh, with the words
  // and ticked filters in its address.
  sortSelect.addEventListener("change", function () {
    var input = searchInput();
    remember(input ? input.value.trim() : initial);
    window.location.reload();
  });

  // On this page the header box searches in place instead of reloading.
  if (header && header.form) {
    header.form.addEventListener("submit", function (event) {
      event.preventDefault();
      var term = header.value.trim();
      if (ui) ui.triggerSearch(term); else initial = term;
      remember(term);
    });
  }
})();
