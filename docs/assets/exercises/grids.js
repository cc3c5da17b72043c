/*
 * Small integer grids for the exercise ports: new grids, maps, flips and shifts, and the
 * random draws of "New numbers" (rng.int(lo, hi) inclusive, row by row). Shared by every
 * section's port; loaded once, before them (mkdocs.yml extra_javascript), as
 * window.cnnbookExercises.grids.
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
    zeros: zeros, mapGrid: mapGrid, flip: flip, roll: roll, maxPool2: maxPool2,
    pick: pick, ints: ints, intGrid: intGrid,
  };
})();
