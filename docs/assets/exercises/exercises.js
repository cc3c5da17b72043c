/*
 * cnnbook self-checking exercises: the browser engine. Plain JavaScript, no network.
 *
 * The page's HTML is rendered at build time by cnnbook/exercises/render.py (the hook
 * replaces a page's `{{ exercises }}` line). Each exercise is an element
 *   [data-exercise="<page>/<n>"][data-kind="number|grid|choice"]
 * with its key in data-answer (JSON), data-tolerance, known mistakes as hidden
 * [data-role="mistake"][data-value] templates, and, when a generator built it,
 * data-generator and data-params. This file wires every such element:
 *   - Check (submit, Enter in a field): sets data-state="correct" | "wrong" and writes the
 *     verdict into the aria-live feedback; a known mistake adds [data-role="hint"];
 *   - Show solution: reveals [data-role="solution"] (aria-expanded on the button);
 *   - New numbers: params = generators[name].draw(rng); build(params) re-renders the
 *     question, the shown arrays, the key, the mistakes and the solution (plain text).
 *
 * Generators are registered by the section files loaded before this one
 * (docs/assets/exercises/<section>.js):
 *   window.cnnbookExercises.generators["<name>"] = { draw(rng) -> params,
 *     build(params) -> {question, answer, solution, mistakes: [[value, hint], ...], shown?} }
 * rng() is uniform in [0, 1), rng.int(lo, hi) an integer in [lo, hi] inclusive.
 *
 * API for tests: window.cnnbookExercises = {generators, rng(seed?), init(scope?),
 * format(value), mistakes(answer, pairs)}.
 */
(function () {
  "use strict";
  var ns = (window.cnnbookExercises = window.cnnbookExercises || {});
  ns.generators = ns.generators || {};
  var MINUS = "\u2212";

  function mulberry32(a) {
    return function () {
      a |= 0;
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // rng(seed): a seeded mulberry32 stream; rng(): Math.random. Both with .int(lo, hi).
  ns.rng = function (seed) {
    var r = seed === undefined || seed === null ? Math.random : mulberry32(seed);
    var f = function () { return r(); };
    f.int = function (lo, hi) { return lo + Math.floor(r() * (hi - lo + 1)); };
    return f;
  };

  // As cnnbook.exercises.render.format_value: integers bare, others to 4 significant digits.
  ns.format = function (v) {
    var text = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
    return text.replace("-", MINUS);
  };

  // Known mistakes as a Python dict of them: the last hint of a repeated value wins, at the
  // value's first position; a "mistake" equal to the answer is dropped.
  ns.mistakes = function (answer, pairs, tolerance) {
    var out = [];
    (pairs || []).forEach(function (p) {
      for (var i = 0; i < out.length; i++) {
        if (same(out[i][0], p[0], 0)) { out[i] = [out[i][0], p[1]]; return; }
      }
      out.push([p[0], p[1]]);
    });
    return out.filter(function (p) { return !same(p[0], answer, tolerance || 0); });
  };

  function same(a, b, tol) {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
      for (var i = 0; i < a.length; i++) if (!same(a[i], b[i], tol)) return false;
      return true;
    }
    return typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= tol + 1e-12 * Math.max(1, Math.abs(b));
  }

  function parseNumber(text) {
    var t = String(text).trim().replace(/\u2212/g, "-").replace(/\s+/g, "");
    if (t === "") return NaN;
    var frac = /^(-?\d+(?:\.\d+)?)\/(\d+(?:\.\d+)?)$/.exec(t);
    if (frac) return Number(frac[1]) / Number(frac[2]);
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return NaN;
    return Number(t);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function role(root, name) {
    return root.querySelector('[data-role="' + name + '"]');
  }

  function json(root, attr) {
    var v = root.getAttribute(attr);
    return v === null ? null : JSON.parse(v);
  }

  function Exercise(root) {
    this.root = root;
    this.kind = root.getAttribute("data-kind");
    this.form = role(root, "form");
    this.feedback = role(root, "feedback");
    this.solution = role(root, "solution");
    this.solutionButton = role(root, "show-solution");
    this.newButton = role(root, "new-numbers");
    var self = this;
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.check(); });
    this.solutionButton.addEventListener("click", function () { self.toggleSolution(); });
    if (this.newButton) this.newButton.addEventListener("click", function () { self.newNumbers(); });
    // A new attempt clears the verdict (not "change": leaving a field with Tab must keep it).
    this.form.addEventListener("input", function () { self.clearState(); });
  }

  Exercise.prototype.answer = function () { return json(this.root, "data-answer"); };
  Exercise.prototype.tolerance = function () { return json(this.root, "data-tolerance") || 0; };

  Exercise.prototype.knownMistakes = function () {
    return Array.prototype.map.call(this.root.querySelectorAll('[data-role="mistake"]'), function (t) {
      return { value: JSON.parse(t.getAttribute("data-value")), node: t };
    });
  };

  Exercise.prototype.clearState = function () {
    if (!this.root.hasAttribute("data-state")) return;
    this.root.removeAttribute("data-state");
  };

  Exercise.prototype.read = function () {
    if (this.kind === "number") {
      var v = parseNumber(role(this.root, "answer").value);
      return isNaN(v) ? { error: "Type a number (for example 12, \u22123 or 0.25)." } : { value: v };
    }
    if (this.kind === "grid") {
      var grid = [], bad = 0;
      Array.prototype.forEach.call(this.root.querySelectorAll(".cnbx-cell"), function (input) {
        var i = +input.getAttribute("data-row"), j = +input.getAttribute("data-col");
        var v = parseNumber(input.value);
        if (isNaN(v)) bad++;
        (grid[i] = grid[i] || [])[j] = v;
      });
      return bad ? { error: "Fill every cell with a number (" + bad + " empty or not a number)." } : { value: grid };
    }
    var picked = this.root.querySelector('[data-role="option"]:checked');
    return picked ? { value: +picked.value } : { error: "Choose one of the answers." };
  };

  Exercise.prototype.check = function () {
    var got = this.read();
    this.feedback.textContent = "";
    var verdict = el("p", { "data-role": "verdict" });
    this.feedback.appendChild(verdict);
    if (got.error) {
      this.root.setAttribute("data-state", "wrong");
      verdict.textContent = "Not checked yet: " + got.error;
      return;
    }
    var ok;
    var tol = this.tolerance();
    if (this.kind === "choice") ok = got.value === this.answer();
    else ok = same(got.value, this.answer(), tol);
    this.root.setAttribute("data-state", ok ? "correct" : "wrong");
    verdict.textContent = ok ? "\u2714 Correct." : "\u2718 Not quite.";
    if (this.kind === "choice") {
      var expl = this.root.querySelector('[data-role="explanation-template"][data-value="' + got.value + '"]');
      if (expl) {
        var box = el("div", { "data-role": ok ? "explanation" : "hint", class: "cnbx-hint" });
        box.innerHTML = expl.innerHTML;
        this.feedback.appendChild(box);
      }
      return;
    }
    if (ok) return;
    var known = this.knownMistakes();
    for (var i = 0; i < known.length; i++) {
      if (same(got.value, known[i].value, tol)) {
        var hint = el("div", { "data-role": "hint", class: "cnbx-hint" });
        hint.innerHTML = known[i].node.innerHTML;
        this.feedback.appendChild(hint);
        return;
      }
    }
    this.feedback.appendChild(el("p", { class: "cnbx-hint-generic" },
      "Check your arithmetic, or reveal the worked solution."));
  };

  Exercise.prototype.toggleSolution = function (show) {
    var open = show === undefined ? this.solution.hidden : show;
    this.solution.hidden = !open;
    this.solutionButton.setAttribute("aria-expanded", open ? "true" : "false");
    this.solutionButton.textContent = open ? "Hide solution" : "Show solution";
  };

  function table(name, grid, cls) {
    var t = el("table", { class: cls });
    t.appendChild(el("caption", null, name + " (" + grid.length + " \u00d7 " + grid[0].length + ")"));
    var body = el("tbody");
    grid.forEach(function (row) {
      var tr = el("tr");
      row.forEach(function (v) { tr.appendChild(el("td", null, ns.format(v))); });
      body.appendChild(tr);
    });
    t.appendChild(body);
    return t;
  }

  Exercise.prototype.render = function (built, params) {
    var r = this.root;
    var q = role(r, "question");
    q.textContent = "";
    q.appendChild(el("p", null, built.question));
    var st = role(r, "solution-text");
    st.textContent = "";
    st.appendChild(el("p", null, built.solution));
    r.setAttribute("data-answer", JSON.stringify(built.answer));
    r.setAttribute("data-params", JSON.stringify(params));
    var old = r.querySelector(".cnbx-templates");
    if (old) old.parentNode.removeChild(old);
    var mistakes = ns.mistakes(built.answer, built.mistakes, this.tolerance());
    if (mistakes.length) {
      var box = el("div", { class: "cnbx-templates", hidden: "" });
      mistakes.forEach(function (m) {
        var t = el("div", { "data-role": "mistake", "data-value": JSON.stringify(m[0]) });
        t.appendChild(el("p", null, m[1]));
        box.appendChild(t);
      });
      r.insertBefore(box, this.solution);
    }
    var shown = role(r, "shown");
    if (shown) {
      shown.textContent = "";
      Object.keys(built.shown || {}).forEach(function (name) {
        shown.appendChild(table(name, built.shown[name], "cnbx-array"));
      });
    }
    if (this.kind === "grid") {
      var grid = role(r, "grid"), rows = built.answer.length, cols = built.answer[0].length;
      var uid = r.id;
      grid.textContent = "";
      grid.appendChild(el("caption", null, "Your answer (" + rows + " \u00d7 " + cols + ")"));
      var body = el("tbody");
      for (var i = 0; i < rows; i++) {
        var tr = el("tr");
        for (var j = 0; j < cols; j++) {
          var td = el("td");
          td.appendChild(el("input", { class: "cnbx-cell", type: "text", inputmode: "decimal", autocomplete: "off",
            "data-row": String(i), "data-col": String(j), "aria-label": "row " + (i + 1) + ", column " + (j + 1),
            id: uid + "-c" + i + "-" + j }));
          tr.appendChild(td);
        }
        body.appendChild(tr);
      }
      grid.appendChild(body);
    } else if (this.kind === "number") {
      role(r, "answer").value = "";
    }
    this.feedback.textContent = "";
    this.clearState();
    this.toggleSolution(false);
  };

  Exercise.prototype.newNumbers = function () {
    var name = this.root.getAttribute("data-generator");
    var gen = ns.generators[name];
    if (!gen) {
      this.feedback.textContent = "No generator \u201c" + name + "\u201d is loaded on this page.";
      return;
    }
    var before = role(this.root, "question").textContent.trim();
    var rng = ns.rng(), params, built;
    for (var tries = 0; tries < 25; tries++) {
      params = gen.draw(rng);
      built = gen.build(params);
      if (built.question.trim() !== before) break;
    }
    this.render(built, params);
    this.feedback.appendChild(el("p", { "data-role": "verdict" }, "New numbers: a fresh variant of the exercise."));
  };

  ns.instances = [];
  ns.init = function (scope) {
    var nodes = (scope || document).querySelectorAll("[data-exercise]:not([data-cnbx-ready])");
    ns.instances = ns.instances.filter(function (e) { return e.root.isConnected; });
    Array.prototype.forEach.call(nodes, function (node) {
      node.setAttribute("data-cnbx-ready", "");
      try {
        ns.instances.push(new Exercise(node));
      } catch (err) {
        node.appendChild(el("p", { class: "cnbx-error" }, "This exercise could not start: " + err.message));
      }
    });
    return ns.instances;
  };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { ns.init(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { ns.init(); });
  } else {
    ns.init();
  }
})();
