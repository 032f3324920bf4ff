// noterun page script: the notes in reading order with previous/next (and ← → keys),
// search over every note, copy buttons, and the light/dark choice. It works from file://:
// the site's lists are .js files that assign a global, loaded as script elements, since
// fetch() of a local file is refused there. A page without them still reads in full.
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var here = body.getAttribute("data-page") || "";

  function load(name, ready) {
    var script = document.createElement("script");
    script.src = root + name;
    script.onload = ready;
    document.head.appendChild(script);
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    for (var key in attributes) node.setAttribute(key, attributes[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // --- Notes in reading order, previous / next -------------------------------------------
  var previous = null, next = null;
  load("noterun-site.js", function () {
    var site = window.noterunSite;
    if (!site) return;
    var list = document.getElementById("nr-notes");
    var pager = document.getElementById("nr-pager");
    var at = -1;
    site.notes.forEach(function (note, i) {
      var link = element("a", { href: root + note.href }, note.title);
      if (note.href === here) {
        at = i;
        link.setAttribute("aria-current", "page");
      }
      var item = element("li");
      item.appendChild(link);
      list.appendChild(item);
    });
    if (at < 0) return;
    if (at > 0) previous = site.notes[at - 1];
    if (at + 1 < site.notes.length) next = site.notes[at + 1];
    [[previous, "prev", "← "], [next, "next", ""]].forEach(function (entry) {
      if (!entry[0]) return pager.appendChild(element("span"));
      var link = element("a", { href: root + entry[0].href, rel: entry[1] });
      link.appendChild(element("span", { class: "pager-dir" }, entry[1] === "prev" ? "← Previous" : "Next →"));
      link.appendChild(element("span", { class: "pager-title" }, entry[0].title));
      pager.appendChild(link);
    });
  });

  var menu = document.getElementById("nr-menu");
  if (menu) {
    menu.addEventListener("click", function () {
      var open = body.classList.toggle("nav-open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) document.getElementById("nr-search").focus();
    });
  }

  // --- Search ------------------------------------------------------------------------------
  var input = document.getElementById("nr-search");
  var results = document.getElementById("nr-results");
  var documents = null, loading = false;

  function prepare() {
    if (documents || loading) return;
    loading = true;
    load("noterun-search.js", function () {
      if (!window.noterunSearch) return;
      documents = build(window.noterunSearch);
      show();
    });
  }

  function build(index) {
    return index.docs.map(function (d) {
      return { href: d[0], title: d[1], heading: d[2], text: d[3], lower: d[3].toLowerCase(),
               label: (d[1] + " " + d[2]).toLowerCase() };
    });
  }

  // The search itself, for bench/search: the hits' links for `query`.
  window.noterunFind = function (query) {
    if (!documents && window.noterunSearch) documents = build(window.noterunSearch);
    return documents ? search(query).map(function (hit) { return hit.doc.href; }) : [];
  };

  // Every word must occur (prefix matches inside words count); a word in the title or
  // heading weighs more than one in the text. A linear scan: 500 notes take a few ms.
  function search(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var found = [];
    for (var i = 0; i < documents.length; i++) {
      var d = documents[i], score = 0, first = -1;
      for (var w = 0; w < words.length; w++) {
        var inLabel = d.label.indexOf(words[w]) >= 0;
        var at = d.lower.indexOf(words[w]);
        if (!inLabel && at < 0) { score = -1; break; }
        score += inLabel ? 10 : 1;
        if (at >= 0 && (first < 0 || at < first)) first = at;
      }
      if (score > 0) found.push({ doc: d, score: score, at: first });
    }
    found.sort(function (a, b) { return b.score - a.score; });
    return found.slice(0, 20);
  }

  function snippet(hit, words) {
    var text = hit.doc.text, start = Math.max(0, hit.at - 40);
    var part = (start > 0 ? "…" : "") + text.slice(start, start + 160) + (start + 160 < text.length ? "…" : "");
    var node = element("span", { class: "result-text" });
    var lower = part.toLowerCase(), from = 0;
    while (true) {
      var best = -1, length = 0;
      words.forEach(function (w) {
        var at = lower.indexOf(w, from);
        if (at >= 0 && (best < 0 || at < best)) { best = at; length = w.length; }
      });
      if (best < 0) break;
      node.appendChild(document.createTextNode(part.slice(from, best)));
      node.appendChild(element("mark", {}, part.slice(best, best + length)));
      from = best + length;
    }
    node.appendChild(document.createTextNode(part.slice(from)));
    return node;
  }

  function show() {
    results.textContent = "";
    var query = input.value.trim();
    if (!query) return;
    if (!documents) return prepare();
    var hits = search(query);
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!hits.length) {
      results.appendChild(element("li", { class: "no-results" }, "No match for “" + query + "”"));
      return;
    }
    hits.forEach(function (hit) {
      var link = element("a", { href: root + hit.doc.href });
      link.appendChild(element("span", { class: "result-where" },
        hit.doc.heading ? hit.doc.title + " › " + hit.doc.heading : hit.doc.title));
      if (hit.at >= 0) link.appendChild(snippet(hit, words));
      var item = element("li");
      item.appendChild(link);
      results.appendChild(item);
    });
  }

  if (input) {
    input.addEventListener("focus", prepare);
    input.addEventListener("input", show);
    input.addEventListener("keydown", function (event) {
      var first = results.querySelector("a");
      if (event.key === "Enter" && first) { event.preventDefault(); first.click(); }
      if (event.key === "ArrowDown" && first) { event.preventDefault(); first.focus(); }
      if (event.key === "Escape") { input.value = ""; show(); input.blur(); }
    });
    results.addEventListener("keydown", function (event) {
      var item = event.target.closest("li");
      if (!item) return;
      var to = event.key === "ArrowDown" ? item.nextElementSibling : event.key === "ArrowUp" ? item.previousElementSibling : null;
      if (event.key === "ArrowUp" && !to) { event.preventDefault(); input.focus(); }
      if (to) { event.preventDefault(); to.querySelector("a").focus(); }
    });
  }

  // --- Keys: ← → between notes, / to search -----------------------------------------------
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "ArrowLeft" && previous) location.href = root + previous.href;
    else if (event.key === "ArrowRight" && next) location.href = root + next.href;
    else if (event.key === "/" && input) {
      event.preventDefault();
      // On a narrow screen the search box is in the closed menu: open it first.
      if (!input.offsetParent && menu) {
        body.classList.add("nav-open");
        menu.setAttribute("aria-expanded", "true");
      }
      input.focus();
    }
  });

  // --- Copy buttons ------------------------------------------------------------------------
  function copy(text, button) {
    function done() {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    }
    function fallback() {
      var area = element("textarea");
      area.value = text;
      area.style.position = "fixed";
      area.style.opacity = "0";
      body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { button.textContent = "Select and copy"; }
      body.removeChild(area);
    }
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  // The text of `nodes` as a reader sees it, without labels, fold summaries or buttons.
  function textOf(nodes) {
    return nodes.map(function (node) {
      var clone = node.cloneNode(true);
      clone.querySelectorAll("button.copy, .run-label, summary").forEach(function (n) { n.remove(); });
      return clone.textContent;
    }).join("").replace(/\n$/, "");
  }

  function addCopy(holder, text) {
    var button = element("button", { type: "button", class: "copy", "aria-label": "Copy this block" }, "Copy");
    button.addEventListener("click", function () { copy(text(), button); });
    holder.classList.add("copyable");
    holder.appendChild(button);
  }

  document.querySelectorAll("pre.source, pre.code-block, pre.traceback, .prose > pre").forEach(function (pre) {
    addCopy(pre, function () { return textOf([pre]); });
  });
  // A cell's output is one block to copy, however many writers its runs tell apart (the
  // runs are laid out by the block's grid and cannot hold a button of their own).
  document.querySelectorAll(".outputs").forEach(function (outputs) {
    addCopy(outputs, function () { return textOf(Array.prototype.slice.call(outputs.querySelectorAll(".run"))); });
  });

  // --- Light / dark: follows the system until chosen; the choice is kept across pages ---
  var toggle = document.getElementById("nr-theme");
  var dark = window.matchMedia("(prefers-color-scheme: dark)");
  function effective() {
    return document.documentElement.getAttribute("data-theme") || (dark.matches ? "dark" : "light");
  }
  function label() {
    toggle.textContent = effective() === "dark" ? "☀ Light" : "☾ Dark";
    toggle.setAttribute("aria-label", "Switch to " + (effective() === "dark" ? "light" : "dark") + " colours");
  }
  if (toggle) {
    label();
    toggle.addEventListener("click", function () {
      var choice = effective() === "dark" ? "light" : "dark";
      document.documentElement.setAttribute("data-theme", choice);
      try { localStorage.setItem("noterun-theme", choice); } catch (e) {}
      label();
    });
    dark.addEventListener("change", label);
  }
})();
