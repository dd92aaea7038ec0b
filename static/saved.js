// Keeping papers: the Save buttons on every card and paper page, the Copy
// BibTeX button, and the /saved/ page. Saved papers live in this browser's
// localStorage (no account, no server). Without JavaScript the buttons stay
// hidden and pages are as the build wrote them.
//
// /saved/ never downloads the archive's papers.json: it fetches each saved
// paper's own small paper.json (about a kilobyte), a few at a time.
(function () {
  "use strict";

  var ID = /^[a-z0-9][a-z0-9-]{0,99}$/;  // a paper id is its URL slug (sitegen/core/slugs.py)
  var nav = document.querySelector(".saved-nav");
  var savedPath = nav ? nav.querySelector("a").getAttribute("href") : "/saved/";
  var KEY = "sitegen-saved:" + savedPath;  // two archives on one host keep two lists
  var root = document.getElementById("saved");

  function now() { return new Date().toISOString(); }

  // [{id, title, url, saved}], in the order they were saved.
  function load() {
    var list;
    try { list = JSON.parse(window.localStorage.getItem(KEY) || "[]"); } catch (error) { list = []; }
    return Array.isArray(list) ? list.filter(valid) : [];
  }

  function valid(item) {
    return item && typeof item.id === "string" && ID.test(item.id);
  }

  function store(list) {
    window.localStorage.setItem(KEY, JSON.stringify(list));
    showState();
  }

  function savedIds() {
    var ids = {};
    load().forEach(function (item) { ids[item.id] = true; });
    return ids;
  }

  // Every button of a paper shows whether it is saved, wherever the paper appears.
  function showState() {
    var ids = savedIds();
    document.querySelectorAll("[data-save]").forEach(function (button) {
      button.hidden = false;
      button.setAttribute("aria-pressed", ids[button.dataset.save] ? "true" : "false");
    });
    if (nav) nav.hidden = false;
  }

  // What a button's paper is called and where it lives, read from the page around it.
  function described(button) {
    var card = button.closest(".card");
    var link = card ? card.querySelector(".card-title a") : null;
    var title = link ? link.textContent : (document.querySelector("h1") || {}).textContent;
    return { title: (title || "").trim(), url: link ? link.getAttribute("href") : window.location.pathname };
  }

  function toggle(button) {
    var id = button.dataset.save;
    var list = load();
    var kept = list.filter(function (item) { return item.id !== id; });
    if (kept.length === list.length) {
      var about = described(button);
      kept.push({ id: id, title: about.title, url: about.url, saved: now() });
    }
    store(kept);
  }

  function copy(text, status) {
    return navigator.clipboard.writeText(text).then(
      function () { if (status) status.textContent = "Copied."; return true; },
      function () { if (status) status.textContent = "Could not copy; select the text and copy it."; return false; });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-save]");
    if (button) { toggle(button); return; }
    var copier = event.target.closest("[data-copy]");
    if (copier) copy(document.getElementById(copier.dataset.copy).textContent, copier.parentNode.querySelector(".copy-status"));
  });
  window.addEventListener("storage", function (event) { if (event.key === KEY) showState(); });
  document.querySelectorAll("[data-copy]").forEach(function (button) { button.hidden = false; });
  showState();

  if (!root) return;

  // ---- /saved/ ----
  var cardsBox = document.getElementById("saved-cards");
  var statusLine = root.querySelector(".saved-status");
  var sharedBox = root.querySelector(".saved-shared");
  var pattern = root.dataset.paperJson;
  var fetched = {};  // id -> promise of its paper.json (null when it is not in this archive)

  root.querySelector(".saved-needs-js").hidden = true;
  root.querySelector(".saved-tools").hidden = false;

  function paperData(id) {
    if (!fetched[id]) {
      fetched[id] = window.fetch(pattern.replace("{id}", id))
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    }
    return fetched[id];
  }

  // Papers of `ids`, fetched at most six at a time, in order.
  function allData(ids) {
    var results = new Array(ids.length);
    var next = 0;
    function worker() {
      if (next >= ids.length) return Promise.resolve();
      var index = next++;
      return paperData(ids[index]).then(function (data) { results[index] = data; return worker(); });
    }
    var workers = [];
    for (var n = 0; n < Math.min(6, ids.length); n++) workers.push(worker());
    return Promise.all(workers).then(function () { return results; });
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function link(href, text, className) {
    var a = element("a", className, text);
    a.href = href;
    return a;
  }

  // A card as _macros.html's paper_card lays it out, from a paper.json (or what was kept of it).
  function card(item, data) {
    var article = element("article", "card");
    article.dataset.paper = item.id;
    var heading = element("h2", "card-title");
    heading.appendChild(link(data ? data.url : item.url, data ? data.title : item.title || item.id));
    article.appendChild(heading);
    var meta = element("p", "card-meta");
    if (data) {
      var date = element(data.date ? "time" : "span", null, data.date_label);
      if (data.date) date.setAttribute("datetime", data.date);
      meta.appendChild(date);
      if (data.upvotes !== null) meta.appendChild(element("span", "upvotes", data.upvotes + (data.upvotes === 1 ? " upvote" : " upvotes")));
      if (data.byline) meta.appendChild(data.byline.url ? link(data.byline.url, data.byline.label, "byline") : element("span", "byline", data.byline.label));
    } else {
      meta.appendChild(element("span", null, "This paper is not in this archive (any more)."));
    }
    article.appendChild(meta);
    if (data) article.appendChild(element("p", "card-excerpt", data.excerpt));
    var save = element("button", "save-button", "Save");
    save.type = "button";
    save.dataset.save = item.id;
    article.appendChild(save);
    if (data && data.tags.length) {
      var tags = element("ul", "tags");
      tags.setAttribute("aria-label", "Tags");
      data.tags.forEach(function (tag) { tags.appendChild(element("li")).appendChild(link(tag.url, tag.label)); });
      article.appendChild(tags);
    }
    return article;
  }

  function sharedIds() {
    var match = /^#ids=([a-z0-9,-]*)$/.exec(window.location.hash);
    if (!match) return null;
    var seen = {};
    return match[1].split(",").filter(function (id) { return ID.test(id) && !seen[id] && (seen[id] = true); });
  }

  function newestFirst() {
    return load().sort(function (a, b) { return a.saved < b.saved ? 1 : a.saved > b.saved ? -1 : 0; });
  }

  function shown() {
    var shared = sharedIds();
    return shared ? shared.map(function (id) { return { id: id }; }) : newestFirst();
  }

  function render() {
    var shared = sharedIds();
    var items = shown();
    sharedBox.hidden = !shared;
    if (shared) sharedBox.querySelector(".shared-count").textContent = String(shared.length);
    root.querySelector(".saved-empty").hidden = items.length > 0;
    return allData(items.map(function (item) { return item.id; })).then(function (data) {
      cardsBox.replaceChildren.apply(cardsBox, items.map(function (item, index) { return card(item, data[index]); }));
      showState();
      root.dataset.ready = "true";  // for tests: every card is shown
    });
  }

  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = link(url, name);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function exportBibtex() {
    var items = shown();
    return allData(items.map(function (item) { return item.id; })).then(function (data) {
      var entries = data.filter(Boolean).map(function (paper) { return paper.bibtex; });
      download("saved-papers.bib", "application/x-bibtex", entries.join("\n"));
      statusLine.textContent = "Exported " + entries.length + " BibTeX entries.";
    });
  }

  function exportJson() {
    var papers = newestFirst().map(function (item) { return { id: item.id, title: item.title, url: item.url, saved: item.saved }; });
    var document_ = { format: "sitegen-saved", version: 1, site: root.dataset.site, exported: now(), papers: papers };
    download("saved-papers.json", "application/json", JSON.stringify(document_, null, 2) + "\n");
    statusLine.textContent = "Exported " + papers.length + " saved papers as JSON.";
  }

  // Adds papers not saved yet; what is saved already stays as it is.
  function merge(incoming) {
    var list = load();
    var have = {};
    list.forEach(function (item) { have[item.id] = true; });
    var added = 0;
    incoming.forEach(function (item) {
      if (!valid(item) || have[item.id]) return;
      have[item.id] = true;
      added += 1;
      list.push({ id: item.id, title: typeof item.title === "string" ? item.title : "",
                  url: typeof item.url === "string" ? item.url : "", saved: typeof item.saved === "string" ? item.saved : now() });
    });
    store(list);
    return added;
  }

  function importFile(file) {
    return file.text().then(function (text) {
      var parsed;
      try { parsed = JSON.parse(text); } catch (error) { parsed = null; }
      if (!parsed || parsed.format !== "sitegen-saved" || !Array.isArray(parsed.papers)) {
        statusLine.textContent = "That file is not a saved-papers export of this site (saved-papers.json); nothing was changed.";
        return;
      }
      var added = merge(parsed.papers);
      statusLine.textContent = "Imported " + added + " new papers; " + (parsed.papers.length - added) + " were saved already or not valid.";
      return render();
    });
  }

  function share() {
    var ids = shown().map(function (item) { return item.id; });
    var url = window.location.href.split("#")[0] + "#ids=" + ids.join(",");
    statusLine.replaceChildren(document.createTextNode("Share link (copied): "), link(url, url, "share-link"));
    return navigator.clipboard.writeText(url).catch(function () {
      statusLine.firstChild.textContent = "Share link: ";
    });
  }

  function keepShared() {
    var shared = sharedIds() || [];
    return allData(shared).then(function (data) {
      var stamp = Date.now();
      // Saved in the shared order: the first of the list ends up newest, as it was shown.
      var items = shared.map(function (id, index) {
        return { id: id, title: data[index] ? data[index].title : "", url: data[index] ? data[index].url : "",
                 saved: new Date(stamp + shared.length - index).toISOString() };
      });
      var added = merge(items);
      statusLine.textContent = "Kept " + added + " new papers; " + (shared.length - added) + " were saved already.";
      window.history.replaceState(null, "", window.location.pathname);
      return render();
    });
  }

  root.addEventListener("click", function (event) {
    var action = event.target.closest("[data-action]");
    if (!action) return;
    ({ "export-bib": exportBibtex, "export-json": exportJson, share: share, "keep-shared": keepShared })[action.dataset.action]();
  });
  document.getElementById("saved-import").addEventListener("change", function (event) {
    if (event.target.files.length) importFile(event.target.files[0]).then(function () { event.target.value = ""; });
  });
  window.addEventListener("hashchange", render);
  window.addEventListener("storage", function (event) { if (event.key === KEY && !sharedIds()) render(); });
  render();
})();
