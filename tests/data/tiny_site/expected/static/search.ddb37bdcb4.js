// The search page, on Pagefind's JavaScript API (pagefind.js in the index's bundle).
// The page (templates/search.html) holds every part of the interface from the start;
// this fills it in. The address is the state: ?q=...&tag=...&org=...&year=...&date=...&sort=...
// (a key repeated: any of its values). Everything from the index is shown as text.
(function () {
  "use strict";

  var root = document.getElementById("search");
  if (!root) return;
  var input = document.getElementById("search-input");
  var sortSelect = document.getElementById("search-sort");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var moreButton = document.getElementById("search-more");
  var header = document.getElementById("site-search");
  var facets = Array.prototype.map.call(root.querySelectorAll(".facet"), function (element) {
    return { key: element.dataset.key, name: element.dataset.filter, element: element,
             values: element.querySelector(".facet-values"), find: element.querySelector(".facet-find"),
             chosenLabel: element.querySelector(".facet-chosen") };
  });
  var SORTS = { date: { date: "desc" }, upvotes: { upvotes: "desc" } };
  var PAGE = 20;  // results shown at a time
  var LONGEST = 200;  // characters of a query searched: a longer one only costs time
  var EXCERPT = 36;  // words
  var DEBOUNCE_MS = 100;

  var state = read(window.location.search);
  var results = [];  // the latest search's results, in order; each one's data() loads on demand
  var shown = 0;
  var latest = 0;  // the number of the latest search: an older one's answer is dropped

  // Every bundle is merged before any search runs: a search while one still loads
  // would count only the others (issue 15, item 15). Each bundle holds a stretch of
  // the archive in date order, the oldest first (search/index.py), and gets a weight
  // of its own, too close to 1 to change a relevance score, by which `sorted` tells
  // which bundle a sorted result came from.
  var WEIGHT_STEP = Math.pow(2, -32);
  function weight(number) { return 1 + number * WEIGHT_STEP; }
  var upvotes = [];  // per bundle, the first's first: [value, count] runs in its sorted list's order
  var bundle = new URL(root.dataset.bundle, window.location.href);
  var pagefind = import(new URL("pagefind.js", bundle).href).then(function (module) {
    return module.options({ basePath: bundle.pathname, baseUrl: root.dataset.base, indexWeight: weight(0) })
      .then(function () { return module.init(); })
      .then(function () { return window.fetch(new URL("sitegen-shards.json", bundle)); })
      .then(function (response) { return response.ok ? response.json() : { bundles: [] }; })
      .catch(function () { return { bundles: [] }; })  // none named: this bundle alone
      .then(function (manifest) {
        upvotes = manifest.upvotes || [];
        return Promise.all((manifest.bundles || []).map(function (path, i) {
          return module.mergeIndex(new URL(path, bundle).pathname, { baseUrl: root.dataset.base, indexWeight: weight(i + 1) });
        }));
      })
      // Facet counts come from the filter chunks loaded when a search runs, and a search
      // loads only those of the filters it names: load them all first.
      .then(function () { return module.filters(); })
      .then(function () { return module; });
  });

  // Pagefind scores a sorted result by its position p in its own bundle's sorted list
  // (from the lowest value up; each bundle's anchor record is at 0), times its bundle's
  // weight, and merges the bundles by that score. Here the score is read back into
  // (bundle, p), and the results put in order exactly: newest first is the newest
  // bundle's results, then the next one's, each in its own order, as the bundles are
  // stretches of the date order; most upvoted reads each result's upvotes from its p.
  function sorted(results, key) {
    var placed = results.map(function (result) {
      var p = Math.round(result.score);
      var number = p > 0 ? Math.round((result.score - p) / (p * WEIGHT_STEP)) : -1;
      return { result: result, bundle: number, p: p, upvotes: key === "upvotes" ? upvotesAt(number, p) : 0 };
    }).filter(function (at) { return at.bundle >= 0; });
    placed.sort(function (a, b) { return b.upvotes - a.upvotes || b.bundle - a.bundle || b.p - a.p; });
    return placed.map(function (at) { return at.result; });
  }

  function upvotesAt(number, p) {
    var runs = upvotes[number] || [];
    for (var i = 0, seen = 0; i < runs.length; i++) {
      seen += runs[i][1];
      if (p <= seen) return runs[i][0];
    }
    return -1;
  }

  pagefind.catch(function () {
    // No index: a build with --no-search, or a broken upload.
    document.getElementById("search-unavailable").hidden = false;
    root.hidden = true;
  });

  function read(query) {
    var params = new URLSearchParams(query);
    var read = { q: (params.get("q") || "").trim(), sort: SORTS[params.get("sort")] ? params.get("sort") : "", chosen: {} };
    facets.forEach(function (facet) { read.chosen[facet.key] = params.getAll(facet.key).filter(Boolean); });
    return read;
  }

  function address() {
    var params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    facets.forEach(function (facet) {
      state.chosen[facet.key].forEach(function (value) { params.append(facet.key, value); });
    });
    if (state.sort) params.set("sort", state.sort);
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "");
  }

  // Typing replaces the history entry; a choice adds one, so Back undoes it.
  function remember(push) {
    if (address() === window.location.pathname + window.location.search) return;
    window.history[push ? "pushState" : "replaceState"](null, "", address());
  }

  function chosenAny() {
    return facets.some(function (facet) { return state.chosen[facet.key].length; });
  }

  // Values of one facet combine with OR, facets with AND; `except` leaves one facet out.
  // Every paper is dated or undated: asking for either leaves out the bundles' anchor
  // records, which have no filters (search/index.py).
  function filtersWithout(except) {
    var filters = { date: { any: ["Dated", "Undated"] } };
    facets.forEach(function (facet) {
      if (facet !== except && state.chosen[facet.key].length) filters[facet.name] = { any: state.chosen[facet.key].map(stored) };
    });
    return filters;
  }

  var loaded = false;
  pagefind.then(function () { loaded = true; }, function () {});  // a failure: see above

  // Filter values are stored escaped as HTML (search/index.py: Pagefind fails to match a
  // value with a double quote in it); the reader sees and the address holds them as written.
  var ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&#34;", "'": "&#39;" };
  function stored(value) {
    return value.replace(/[&<>"']/g, function (c) { return ESCAPES[c]; });
  }
  function named(counts) {
    var plain = {};
    Object.keys(counts || {}).forEach(function (value) {
      plain[value.replace(/&(amp|lt|gt|#34|#39);/g, function (entity) {
        return Object.keys(ESCAPES).filter(function (c) { return ESCAPES[c] === entity; })[0];
      })] = counts[value];
    });
    return plain;
  }

  // `typing`: words as they are typed. Pagefind's debounced search then runs only once the
  // typing pauses (a search per keystroke queued in its worker: seconds at 10,000 papers),
  // and answers null when a later one replaced it.
  function search(typing) {
    var number = ++latest;
    var term = state.q.slice(0, LONGEST) || null;
    list.setAttribute("aria-busy", "true");  // until this search's cards are drawn
    if (!loaded && (term || chosenAny())) status.textContent = "Loading the search index\u2026";
    return pagefind.then(function (pf) {
      if (!term && !chosenAny()) {
        // Nothing asked: offer every facet value with its count over the whole archive.
        return pf.filters().then(function (counts) {
          var every = {};
          facets.forEach(function (facet) { every[facet.name] = named(counts[facet.name]); });
          if (number === latest) show(null, every);
        });
      }
      // A facet's counts hold for the query and the other facets' choices, not its own:
      // a facet with a choice is counted by a search without it.
      var sortKey = SORTS[state.sort] ? state.sort : (term ? "" : "date");
      var options = { filters: filtersWithout(null), sort: SORTS[sortKey] || {} };
      var main = typing ? pf.debouncedSearch(term, options, DEBOUNCE_MS) : pf.search(term, options);
      return main.then(function (found) {
        if (!found || number !== latest) return [];
        return Promise.all([found].concat(facets.map(function (facet) {
          if (!state.chosen[facet.key].length) return found.filters[facet.name];
          return pf.search(term, { filters: filtersWithout(facet) }).then(function (other) { return other.filters[facet.name]; });
        })));
      }).then(function (answers) {
        if (number !== latest || !answers.length) return;
        var counts = {};
        facets.forEach(function (facet, i) { counts[facet.name] = named(answers[i + 1]); });
        show(sortKey ? sorted(answers[0].results, sortKey) : answers[0].results, counts);
      });
    }).catch(function (error) {
      if (number !== latest) return;
      status.textContent = "Search failed: " + error.message;
      list.setAttribute("aria-busy", "false");
    });
  }

  function show(found, counts) {
    facets.forEach(function (facet) { showFacet(facet, counts[facet.name] || {}); });
    results = found || [];
    shown = 0;
    list.textContent = "";
    if (!found) {
      status.textContent = "";
      moreButton.hidden = true;
      list.setAttribute("aria-busy", "false");
      return Promise.resolve();
    }
    var words = state.q ? " for \u201c" + state.q + "\u201d" : "";
    status.textContent = (results.length ? results.length.toLocaleString("en") : "No") +
      (results.length === 1 ? " result" : " results") + words;
    return more();
  }

  // The next PAGE results, drawn together once all of their data is in.
  function more() {
    var number = latest;
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    moreButton.hidden = true;
    list.setAttribute("aria-busy", "true");
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (data) {
      if (number !== latest) return;
      data.forEach(function (paper) { list.appendChild(card(paper)); });
      moreButton.hidden = shown >= results.length;
      list.setAttribute("aria-busy", "false");
    });
  }

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) made.className = className;
    if (text !== undefined) made.textContent = text;
    return made;
  }

  function link(url, text, className) {
    var made = element("a", className, text);
    made.href = url;
    return made;
  }

  // The site's paper card (templates/_macros.html paper_card), from the record's meta.
  function card(paper) {
    var meta = paper.meta;
    var item = element("li");
    var article = item.appendChild(element("article", "card"));
    article.appendChild(element("h2", "card-title")).appendChild(link(paper.url, meta.title));
    var facts = article.appendChild(element("p", "card-meta"));
    if (meta.date_iso) {
      facts.appendChild(element("time", "", meta.date)).setAttribute("datetime", meta.date_iso);
    } else {
      facts.appendChild(element("span", "", "Undated"));
    }
    if (meta.upvotes !== undefined) {
      facts.appendChild(element("span", "upvotes", meta.upvotes + (meta.upvotes === "1" ? " upvote" : " upvotes")));
    }
    if (meta.byline) facts.appendChild(meta.byline_url ? link(meta.byline_url, meta.byline, "byline") : element("span", "byline", meta.byline));
    article.appendChild(excerpt(paper, meta.title));
    var tags = JSON.parse(meta.tags || "[]");
    if (tags.length) {
      var tagList = article.appendChild(element("ul", "tags"));
      tagList.setAttribute("aria-label", "Tags");
      tags.forEach(function (tag) { tagList.appendChild(element("li")).appendChild(link(tag[1], tag[0])); });
    }
    return item;
  }

  // Words of the abstract around the first match, matched words marked. The record's text
  // starts with the title (search/index.py), which the card shows already: skipped.
  function excerpt(paper, title) {
    var words = paper.content.split(/\s+/);
    var skip = title.split(/\s+/).filter(Boolean).length;
    var marked = {};
    (paper.locations || []).forEach(function (at) { marked[at] = true; });
    var first = (paper.locations || []).filter(function (at) { return at >= skip; })[0];
    var start = first === undefined ? skip : Math.max(skip, Math.min(first - 8, words.length - EXCERPT));
    var end = Math.min(words.length, start + EXCERPT);
    var made = element("p", "card-excerpt", start > skip ? "\u2026 " : "");
    for (var i = start; i < end; i++) {
      if (i > start) made.appendChild(document.createTextNode(" "));
      made.appendChild(marked[i] ? element("mark", "", words[i]) : document.createTextNode(words[i]));
    }
    if (end < words.length) made.appendChild(document.createTextNode(" \u2026"));
    return made;
  }

  // A facet's values by count, most first; chosen values stay listed even at no results.
  function showFacet(facet, counts) {
    var chosen = state.chosen[facet.key];
    var values = Object.keys(counts).filter(function (value) { return counts[value] > 0 || chosen.indexOf(value) >= 0; });
    chosen.forEach(function (value) { if (values.indexOf(value) < 0) values.push(value); });
    values.sort(function (a, b) { return (counts[b] || 0) - (counts[a] || 0) || a.localeCompare(b); });
    facet.values.textContent = "";
    values.forEach(function (value) {
      var label = facet.values.appendChild(element("li")).appendChild(element("label"));
      var box = label.appendChild(element("input"));
      box.type = "checkbox";
      box.value = value;
      box.checked = chosen.indexOf(value) >= 0;
      label.appendChild(element("span", "facet-value", value));
      label.appendChild(element("span", "count", " (" + (counts[value] || 0) + ")"));
    });
    facet.chosenLabel.textContent = chosen.length ? "(" + chosen.length + " chosen)" : "";
    narrow(facet);
  }

  function narrow(facet) {
    if (!facet.find) return;
    var wanted = facet.find.value.trim().toLowerCase();
    facet.values.querySelectorAll("li").forEach(function (item) {
      item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) < 0;
    });
  }

  function restore() {
    input.value = state.q;
    sortSelect.value = state.sort;
    if (header) header.value = state.q;
    return search();
  }

  input.addEventListener("input", function () {
    state.q = input.value.trim();
    remember(false);
    search(true);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    state.q = input.value.trim();
    remember(false);
    search();
  });
  sortSelect.addEventListener("change", function () {
    state.sort = sortSelect.value;
    remember(true);
    search();
  });
  facets.forEach(function (facet) {
    facet.values.addEventListener("change", function (event) {
      var value = event.target.value;
      var chosen = state.chosen[facet.key];
      state.chosen[facet.key] = event.target.checked ? chosen.concat([value]) : chosen.filter(function (v) { return v !== value; });
      remember(true);
      search();
    });
    if (facet.find) facet.find.addEventListener("input", function () { narrow(facet); });
  });
  moreButton.addEventListener("click", function () {
    var next = shown;
    more().then(function () {
      var first = list.children[next];  // where the reader goes on reading
      if (first) first.querySelector(".card-title a").focus();
    });
  });
  window.addEventListener("popstate", function () {
    state = read(window.location.search);
    restore();
  });

  // Keys: "/" to the box, arrows through the results' titles (Enter follows the link).
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    var typing = target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
    if (event.key === "/" && !typing) {
      event.preventDefault();
      input.focus();
      input.select();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    var titles = Array.prototype.slice.call(list.querySelectorAll(".card-title a"));
    var at = titles.indexOf(target);
    if (target === input && event.key === "ArrowDown") at = -1;
    else if (at < 0) return;
    var next = at + (event.key === "ArrowDown" ? 1 : -1);
    event.preventDefault();
    if (next < 0) input.focus();
    else if (titles[Math.min(next, titles.length - 1)]) titles[Math.min(next, titles.length - 1)].focus();
  });

  restore();
})();
