/*
 * Small integer grids for the exercise ports: new grids, maps, flips, shifts, 2 × 2 max
 * pooling and valid cross-correlation, and the random draws of "New numbers"
 * (rng.int(lo, hi) inclusive, row by row). Shared by every section's port; loaded once,
 * before them (mkdocs.yml extra_javascript), as window.cnnbookExercises.grids.
 */
(function () {
  "use strict";
  var ns = (window.cnnbookExercises = window.cnnbookExercises || {});
  ns.generators = ns.generators || {};

  function zeros(rows, cols) {
    var out = [];
    for (var i = 0; i < rows; i++) out.push(new Array(cols).fill(0));
    return out;
  }
  function mapGrid(a, f) { return a.map(function (row, i) { return row.map(function (v, j) { return f(v, i, j); }); }); }
  function flip(k) { return k.slice().reverse().map(function (row) { return row.slice().reverse(); }); }
  function roll(a, shift) { // circular shift of the columns to the right
    return a.map(function (row) {
      var w = row.length;
      return row.map(function (_, j) { return row[(((j - shift) % w) + w) % w]; });
    });
  }
  function maxPool2(a) { // 2 × 2 windows, stride 2
    var out = zeros(Math.floor(a.length / 2), Math.floor(a[0].length / 2));
    for (var i = 0; i < out.length; i++)
      for (var j = 0; j < out[0].length; j++)
        out[i][j] = Math.max(a[2 * i][2 * j], a[2 * i][2 * j + 1], a[2 * i + 1][2 * j], a[2 * i + 1][2 * j + 1]);
    return out;
  }
  // Valid cross-correlation, as cnnbook.correlate2d(x, k): 0 + the products, row-major.
  function correlate(x, k) {
    var oh = x.length - k.length + 1, ow = x[0].length - k[0].length + 1, out = [];
    for (var i = 0; i < oh; i++) {
      var row = [];
      for (var j = 0; j < ow; j++) {
        var s = 0;
        for (var a = 0; a < k.length; a++) for (var b = 0; b < k[0].length; b++) s += k[a][b] * x[i + a][j + b];
        row.push(s);
      }
      out.push(row);
    }
    return out;
  }

  function pick(rng, list) { return list[rng.int(0, list.length - 1)]; }
  function ints(rng, lo, hi, n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(rng.int(lo, hi));
    return out;
  }
  function intGrid(rng, rows, cols, lo, hi) {
    var out = [];
    for (var i = 0; i < rows; i++) out.push(ints(rng, lo, hi, cols));
    return out;
  }

  ns.grids = {
    zeros: zeros, mapGrid: mapGrid, flip: flip, roll: roll, maxPool2: maxPool2, correlate: correlate,
    pick: pick, ints: ints, intGrid: intGrid,
  };
})();
