// Suspension timelines: zoom and pan along x, and a detail panel for whatever bar, mark,
// arrow or burst is clicked, tapped or focused. Progressive: without this script every
// detail is still in the SVG's tooltips and in the table below it. No network, no globals.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";

  function num(element, name) { return parseFloat(element.getAttribute(name)); }

  // One timeline's zoom: x' = left + (x - from) * zoom, for x in the drawing's own units.
  function View(svg) {
    this.svg = svg;
    this.left = num(svg, "data-left");
    this.right = num(svg, "data-right");
    this.end = num(svg, "data-end");
    this.t0 = num(svg, "data-t0");
    this.t1 = num(svg, "data-t1");
    this.zoom = 1;
    this.from = this.left;
  }

  View.prototype.map = function (x) { return this.left + (x - this.from) * this.zoom; };
  View.prototype.inside = function (x) { return x >= this.left - 0.5 && x <= this.end + 0.5; };
  View.prototype.clamp = function (x) { return Math.min(Math.max(x, this.left), this.end); };

  View.prototype.original = function (element, name) {
    var key = "o" + name.replace("-", "");
    if (element.dataset[key] === undefined) element.dataset[key] = element.getAttribute(name);
    return parseFloat(element.dataset[key]);
  };

  View.prototype.set = function (zoom, from) {
    var width = this.end - this.left;
    this.zoom = Math.max(1, Math.min(zoom, 400));
    this.from = Math.max(this.left, Math.min(from, this.end - width / this.zoom));
    this.draw();
  };

  View.prototype.draw = function () {
    var view = this;
    var svg = this.svg;
    svg.querySelectorAll(".nr-tl-span").forEach(function (span) {
      var rect = span.querySelector("rect");
      var x = view.original(rect, "x");
      var width = view.original(rect, "width");
      var x0 = view.clamp(view.map(x));
      var x1 = view.clamp(view.map(x + width));
      var visible = x1 - x0 > 0.5 || (view.inside(view.map(x)) && width <= 2);
      span.style.display = visible ? "" : "none";
      if (!visible) return;
      rect.setAttribute("x", x0);
      rect.setAttribute("width", Math.max(x1 - x0, 2));
      var text = span.querySelector("text");
      if (text) {
        text.setAttribute("x", x0 + 4);
        var room = (x1 - x0 - 6) / (parseFloat(text.getAttribute("font-size")) * 0.6);
        text.style.display = room >= Math.min(4, text.textContent.length) ? "" : "none";
      }
      var hatch = span.querySelector(".nr-tl-hatch");
      if (hatch) hatch.setAttribute("d", hatchPath(x0, num(rect, "y"), Math.max(x1 - x0, 2), num(rect, "height")));
    });
    svg.querySelectorAll(".nr-tl-mark, .nr-tl-burst[transform]").forEach(function (mark) {
      if (mark.dataset.ox === undefined) mark.dataset.ox = /translate\(([-\d.]+)/.exec(mark.getAttribute("transform"))[1];
      var x = view.map(parseFloat(mark.dataset.ox));
      mark.style.display = view.inside(x) ? "" : "none";
      mark.setAttribute("transform", "translate(" + x + " 0)");
    });
    svg.querySelectorAll(".nr-tl-life, .nr-tl-link").forEach(function (line) {
      var x1 = view.map(view.original(line, "x1"));
      var x2 = view.map(view.original(line, "x2"));
      line.style.display = (x2 < view.left || x1 > view.end) ? "none" : "";
      line.setAttribute("x1", view.clamp(x1));
      line.setAttribute("x2", view.clamp(x2));
    });
    svg.querySelectorAll(".nr-tl-arrow[data-x1]").forEach(function (arrow) {
      var x1 = view.map(num(arrow, "data-x1"));
      var x2 = view.map(num(arrow, "data-x2"));
      arrow.style.display = view.inside(x1) && view.inside(x2) ? "" : "none";
      arrow.setAttribute("d", arrowPath(x1, num(arrow, "data-y1"), x2, num(arrow, "data-y2"), num(arrow, "data-bar")));
    });
    this.drawTicks();
  };

  // Time axis: round ticks for what is in view. Loop-steps axis: its own ticks, moved.
  View.prototype.drawTicks = function () {
    var group = this.svg.querySelector(".nr-tl-ticks");
    if (!group) return;
    var view = this;
    if (!this.svg.classList.contains("nr-tl-axis-time") || !(this.t1 > this.t0)) {
      var last = -Infinity;
      group.querySelectorAll("text").forEach(function (text) {
        var x = view.map(view.original(text, "x"));
        var show = view.inside(x) && x - last >= 56;
        if (show) last = x;
        text.style.display = show ? "" : "none";
        text.setAttribute("x", x);
      });
      group.querySelectorAll("line").forEach(function (line) {
        var x = view.map(view.original(line, "x1"));
        line.style.display = view.inside(x) ? "" : "none";
        line.setAttribute("x1", x);
        line.setAttribute("x2", x);
      });
      return;
    }
    var perUnit = (this.right - this.left) / (this.t1 - this.t0);
    var from = this.t0 + (this.from - this.left) / perUnit;
    var to = this.t0 + (this.from + (this.right - this.left) / this.zoom - this.left) / perUnit;
    var span = to - from;
    var millis = span < 1;
    var unit = millis ? 1000 : 1;
    var raw = span / Math.max(2, Math.floor((this.right - this.left) / 70));
    var power = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * power; }).filter(function (s) { return s >= raw * (1 - 1e-9); })[0];
    var decimals = Math.max(0, Math.ceil(-Math.log10(step * unit)));
    var top = num(this.svg, "data-top");
    var bottom = num(this.svg, "data-bottom");
    while (group.firstChild) group.removeChild(group.firstChild);
    for (var k = Math.ceil(from / step); k * step <= to + step * 1e-9; k++) {
      var time = k * step;
      var x = this.left + (time - from) * perUnit * this.zoom;
      var line = document.createElementNS(SVGNS, "line");
      line.setAttribute("class", "nr-tl-grid");
      line.setAttribute("x1", x); line.setAttribute("x2", x);
      line.setAttribute("y1", top); line.setAttribute("y2", bottom);
      group.appendChild(line);
      var text = document.createElementNS(SVGNS, "text");
      text.setAttribute("class", "nr-tl-tick");
      text.setAttribute("x", x); text.setAttribute("y", 14);
      text.setAttribute("text-anchor", "middle");
      var value = time * unit;
      text.textContent = (Math.abs(value) < 1e-12 ? "0" : value.toFixed(decimals)) + (millis ? " ms" : " s");
      group.appendChild(text);
    }
  };

  // The same shapes TimelineSVG draws (arrowPath, hatch).
  function arrowPath(x1, y1, x2, y2, bar) {
    var direction = y2 >= y1 ? 1 : -1;
    var from = y1 + direction * bar / 2;
    var to = y2 - direction * bar / 2;
    var bow = Math.abs(x2 - x1) < 12 ? 12 : 0;
    var middle = (from + to) / 2;
    return "M" + x1 + " " + from + "C" + (x1 + bow) + " " + middle + " " + (x2 + bow) + " " + middle + " " + x2 + " " + to +
      "M" + (x2 - 3.5) + " " + (to - direction * 6) + "L" + x2 + " " + to + "L" + (x2 + 3.5) + " " + (to - direction * 6);
  }

  function hatchPath(x, y, width, height) {
    var d = "";
    for (var start = x - height; start < x + width; start += 6) {
      var from = Math.max(0, x - start);
      var to = Math.min(height, x + width - start);
      if (from < to) d += "M" + (start + from) + " " + (y + height - from) + "L" + (start + to) + " " + (y + height - to);
    }
    return d;
  }

  // The detail of one drawn thing: its tooltip's lines, with the note's lines linked and
  // asyncio's own frames folded.
  function showDetail(root, element) {
    var panel = root.querySelector(".nr-tl-detail");
    var title = element.querySelector("title");
    if (!panel || !title) return;
    var note = root.getAttribute("data-note");
    while (panel.firstChild) panel.removeChild(panel.firstChild);
    title.textContent.split("\n").forEach(function (line, index) {
      var library = /^library frames: /.test(line);
      var holder = document.createElement(index === 0 ? "strong" : library ? "details" : "div");
      if (library) {
        var summary = document.createElement("summary");
        summary.textContent = "library frames (asyncio's own)";
        holder.appendChild(summary);
        line = line.replace(/^library frames: /, "");
      }
      appendLinked(holder, line, note);
      panel.appendChild(holder);
    });
    panel.hidden = false;
  }

  function appendLinked(holder, line, note) {
    if (!note) { holder.appendChild(document.createTextNode(line)); return; }
    var parts = line.split(note + ":");
    holder.appendChild(document.createTextNode(parts[0]));
    for (var i = 1; i < parts.length; i++) {
      var digits = /^\d+/.exec(parts[i]);
      if (!digits) { holder.appendChild(document.createTextNode(note + ":" + parts[i])); continue; }
      var link = document.createElement("a");
      link.href = "#L" + digits[0];
      link.textContent = note + ":" + digits[0];
      holder.appendChild(link);
      holder.appendChild(document.createTextNode(parts[i].slice(digits[0].length)));
    }
  }

  function button(label, title, action) {
    var element = document.createElement("button");
    element.type = "button";
    element.textContent = label;
    element.title = title;
    element.setAttribute("aria-label", title);
    element.addEventListener("click", action);
    return element;
  }

  function setUp(root) {
    var views = [];
    root.querySelectorAll("svg.nr-timeline").forEach(function (svg) {
      var view = new View(svg);
      views.push(view);
      var drag = null;
      svg.addEventListener("pointerdown", function (event) {
        if (view.zoom === 1 || event.button !== 0) return;
        drag = { x: event.clientX, from: view.from, scale: svg.viewBox.baseVal.width / svg.getBoundingClientRect().width };
      });
      svg.addEventListener("pointermove", function (event) {
        if (!drag) return;
        view.set(view.zoom, drag.from - (event.clientX - drag.x) * drag.scale / view.zoom);
      });
      ["pointerup", "pointerleave"].forEach(function (type) { svg.addEventListener(type, function () { drag = null; }); });
      svg.addEventListener("wheel", function (event) {
        if (!event.ctrlKey && !event.metaKey) return;
        event.preventDefault();
        var box = svg.getBoundingClientRect();
        var x = (event.clientX - box.left) * svg.viewBox.baseVal.width / box.width;
        var at = view.from + (x - view.left) / view.zoom;
        var zoom = view.zoom * (event.deltaY < 0 ? 1.25 : 0.8);
        view.set(zoom, at - (x - view.left) / Math.max(1, Math.min(zoom, 400)));
      }, { passive: false });
    });
    root.addEventListener("click", function (event) {
      var target = event.target.closest && event.target.closest(".nr-timeline [tabindex]");
      if (target) showDetail(root, target);
    });
    root.addEventListener("focusin", function (event) {
      if (event.target.closest && event.target.closest(".nr-timeline [tabindex]")) showDetail(root, event.target);
    });
    var tools = root.querySelector(".nr-tl-tools");
    if (!tools || views.length === 0) return;
    function each(change) { views.forEach(function (view) { change(view); }); }
    function zoomBy(factor) {
      each(function (view) {
        var middle = view.from + (view.end - view.left) / view.zoom / 2;
        var zoom = Math.max(1, Math.min(view.zoom * factor, 400));
        view.set(zoom, middle - (view.end - view.left) / zoom / 2);
      });
    }
    function panBy(share) {
      each(function (view) { view.set(view.zoom, view.from + share * (view.end - view.left) / view.zoom); });
    }
    tools.appendChild(button("−", "zoom out", function () { zoomBy(0.5); }));
    tools.appendChild(button("+", "zoom in", function () { zoomBy(2); }));
    tools.appendChild(button("◀", "pan earlier", function () { panBy(-0.4); }));
    tools.appendChild(button("▶", "pan later", function () { panBy(0.4); }));
    tools.appendChild(button("whole", "show the whole cell", function () { each(function (view) { view.set(1, view.left); }); }));
    var hint = document.createElement("span");
    hint.className = "nr-tl-hint";
    hint.textContent = "drag to pan, Ctrl+wheel to zoom; click or focus a bar for its detail";
    tools.appendChild(hint);
    tools.hidden = false;
  }

  function start() { document.querySelectorAll(".nr-tl").forEach(setUp); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
