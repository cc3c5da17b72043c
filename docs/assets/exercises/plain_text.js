/*
 * Plain text of the exercise generators, shared by every section's JavaScript port: numbers,
 * grids and known mistakes written exactly as cnnbook/exercises/plain_text.py writes them
 * (the browser tests compare each port's text with Python's byte for byte). Loaded once,
 * before the ports (mkdocs.yml extra_javascript), as window.cnnbookExercises.plainText.
 */
(function () {
  "use strict";
  var ns = (window.cnnbookExercises = window.cnnbookExercises || {});
  ns.generators = ns.generators || {};
  var MINUS = "\u2212";

  // -- six decimals at most (num, grid, operand, fixed): toFixed, as Python's format --
  function num(x) {
    var t = Number(x).toFixed(6).replace(/0+$/, "").replace(/\.$/, "");
    if (t === "-0" || t === "") t = "0";
    return t.replace(/-/g, MINUS);
  }
  function operand(x) {
    var t = num(x);
    return t.charAt(0) === MINUS ? "(" + t + ")" : t;
  }
  function fixed(x, d) {
    var t = Number(x).toFixed(d);
    if (Number(t) === 0) t = t.replace(/^-/, "");
    return t.replace(/-/g, MINUS);
  }
  function grid(a) {
    return "[" + a.map(function (row) { return "[" + row.map(num).join(", ") + "]"; }).join(", ") + "]";
  }

  // -- rounded with integer arithmetic, four decimals by default (number_text) --
  function numberText(value, decimals) {
    if (decimals === undefined) decimals = 4;
    var scale = Math.pow(10, decimals);
    var scaled = Math.floor(Math.abs(value) * scale + 0.5);
    var whole = Math.floor(scaled / scale), frac = scaled % scale;
    var text = frac === 0 ? String(whole)
      : whole + "." + String(frac).padStart(decimals, "0").replace(/0+$/, "");
    return (value < 0 && scaled ? MINUS : "") + text;
  }
  function numbersText(values) { return values.map(function (v) { return numberText(v); }).join(", "); }
  function factorText(v) { return v < 0 ? "(" + numberText(v) + ")" : numberText(v); }

  // -- integers (integer, paren, products, rows) --
  function integer(v) { return String(Math.trunc(v) + 0).replace("-", MINUS); }
  function paren(v) { return v < 0 ? "(" + integer(v) + ")" : integer(v); }
  function products(win, ker) {
    var parts = [];
    for (var i = 0; i < win.length; i++) for (var j = 0; j < win[0].length; j++) parts.push(paren(win[i][j]) + "\u00b7" + paren(ker[i][j]));
    return parts.join(" + ");
  }
  function channels(c) { return c + " channel" + (c === 1 ? "" : "s"); }
  function rows(g) {
    return g.map(function (row) { return "[" + row.map(integer).join(", ") + "]"; }).join(", ");
  }

  // -- known mistakes: those that differ from the answer and from every earlier one --
  function numberMistakes(answer, pairs, tol) {
    tol = tol || 0;
    var kept = [];
    pairs.forEach(function (p) {
      var v = p[0];
      if (Math.abs(v - answer) <= tol) return;
      if (kept.some(function (k) { return Math.abs(v - k[0]) <= tol; })) return;
      kept.push([v, p[1]]);
    });
    return kept;
  }
  function sameGrid(a, b, tol) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) {
      if (a[i].length !== b[i].length) return false;
      for (var j = 0; j < a[i].length; j++) if (Math.abs(a[i][j] - b[i][j]) > tol) return false;
    }
    return true;
  }
  function gridMistakes(answer, pairs, tol) {
    tol = tol || 0;
    var kept = [];
    pairs.forEach(function (p) {
      if (sameGrid(p[0], answer, tol)) return;
      if (kept.some(function (k) { return sameGrid(p[0], k[0], tol); })) return;
      kept.push([p[0], p[1]]);
    });
    return kept;
  }
  // Any values (numbers, grids, tuples) compared as JSON; the first hint of a value stays.
  function firstWins(answer, pairs) {
    var out = [];
    var key = function (v) { return JSON.stringify(v); };
    pairs.forEach(function (p) {
      if (key(p[0]) === key(answer)) return;
      for (var i = 0; i < out.length; i++) if (key(out[i][0]) === key(p[0])) return;
      out.push(p);
    });
    return out;
  }

  ns.plainText = {
    num: num, operand: operand, fixed: fixed, grid: grid,
    numberText: numberText, numbersText: numbersText, factorText: factorText,
    integer: integer, paren: paren, products: products, rows: rows, channels: channels,
    numberMistakes: numberMistakes, gridMistakes: gridMistakes, firstWins: firstWins,
  };
})();
