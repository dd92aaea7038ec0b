// Keyboard moves. On a list of papers: j/k move between cards, o or Enter opens
// one, s saves it, c copies its BibTeX. On a paper or day page: [ and ] go to
// the previous and next one. Anywhere: / focuses search, ? lists the keys.
// Keys never fire while typing in a field, nor with Ctrl, Alt or Meta held.
(function () {
  "use strict";

  var KEYS = [
    ["j", "Next paper in the list"],
    ["k", "Previous paper in the list"],
    ["o or Enter", "Open the paper"],
    ["s", "Save the paper, or unsave it"],
    ["c", "Copy the paper’s BibTeX"],
    ["[", "Previous paper or day"],
    ["]", "Next paper or day"],
    ["/", "Search"],
    ["?", "This list of keys"],
  ];
  var dialog = null;
  var status = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll("main .card, main .pagefind-ui__result"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("main .card, main .pagefind-ui__result") : null;
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var index = all.indexOf(current());
    var next = all[index < 0 ? (step > 0 ? 0 : all.length - 1) : Math.min(all.length - 1, Math.max(0, index + step))];
    next.tabIndex = -1;
    next.focus({ preventScroll: true });
    next.scrollIntoView({ block: "nearest" });
  }

  function say(text) {
    if (!status) {
      status = document.createElement("p");
      status.className = "visually-hidden key-status";
      status.setAttribute("role", "status");
      document.body.appendChild(status);
    }
    status.textContent = text;
  }

  function titleLink(card) {
    return card.querySelector(".card-title a, a[href]");
  }

  function copyBibtex(card) {
    if (!card) {
      var own = document.getElementById("bibtex");
      if (!own) return;
      return navigator.clipboard.writeText(own.textContent).then(function () { say("BibTeX copied."); });
    }
    var link = titleLink(card);
    if (!card.dataset.paper || !link) return;
    return window.fetch(new URL("paper.json", link.href))
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (paper) { return navigator.clipboard.writeText(paper.bibtex); })
      .then(function () { say("BibTeX copied."); }, function () { say("Could not copy the BibTeX."); });
  }

  function follow(rel) {
    var link = document.querySelector(".day-nav a[rel=" + rel + "]");
    if (link) window.location.href = link.href;
  }

  function focusables() {
    return Array.prototype.slice.call(dialog.querySelectorAll("button, a[href]"));
  }

  function help() {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "keys-help";
      dialog.setAttribute("aria-labelledby", "keys-help-title");
      var heading = document.createElement("h2");
      heading.id = "keys-help-title";
      heading.textContent = "Keyboard shortcuts";
      var list = document.createElement("dl");
      KEYS.forEach(function (pair) {
        var row = document.createElement("div");
        var key = document.createElement("dt");
        pair[0].split(" or ").forEach(function (name, index) {
          if (index) key.appendChild(document.createTextNode(" or "));
          key.appendChild(document.createElement("kbd")).textContent = name;
        });
        var what = document.createElement("dd");
        what.textContent = pair[1];
        row.append(key, what);
        list.appendChild(row);
      });
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.append(heading, list, close);
      // A modal dialog makes the page inert; Tab still cycles within it, never out to the page.
      dialog.addEventListener("keydown", function (event) {
        if (event.key !== "Tab") return;
        var items = focusables();
        var first = items[0], last = items[items.length - 1];
        if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
        else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
      });
      document.body.appendChild(dialog);
    }
    var before = document.activeElement;
    dialog.addEventListener("close", function () { if (before && before.focus) before.focus(); }, { once: true });
    dialog.showModal();
    dialog.querySelector("button").focus();
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || typing(event.target)) return;
    if (dialog && dialog.open) return;  // the dialog's own keys: Tab, Escape, Enter on Close
    var card = current();
    var onCard = card && document.activeElement === card;
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "o": case "Enter":
        if (!onCard && event.key === "Enter") return;  // Enter on a link or button does what it always does
        if (card && titleLink(card)) window.location.href = titleLink(card).href; else return;
        break;
      case "s": {
        var button = card ? card.querySelector("[data-save]") : document.querySelector(".paper-actions [data-save]");
        if (!button || button.hidden) return;
        button.click();
        say(button.getAttribute("aria-pressed") === "true" ? "Saved." : "No longer saved.");
        break;
      }
      case "c": copyBibtex(card); break;
      case "[": follow("prev"); break;
      case "]": follow("next"); break;
      case "/": {
        var search = document.querySelector(".pagefind-ui__search-input") || document.getElementById("site-search");
        if (!search) return;
        search.focus();
        break;
      }
      case "?": help(); break;
      default: return;
    }
    event.preventDefault();
  });
})();
