/* JavaScript ports of the generators of the package cnnbook/exercises/convolution/ (one module per page).
 * Each build(params) returns the same plain text and numbers as the Python generator
 * (the browser tests compare them on random parameters). */
(function () {
  "use strict";
  var ns = (window.cnnbookExercises = window.cnnbookExercises || {});
  var G = (ns.generators = ns.generators || {});

  // -- plain text (number_text, four decimals): plain_text.js, as cnnbook/exercises/plain_text.py --
  var T = ns.plainText;
  var num = T.numberText, nums = T.numbersText, factor = T.factorText;
  var kept = T.numberMistakes, keptGrids = T.gridMistakes;
  // -- grids and draws: grids.js --
  var R = ns.grids;
  var pick = R.pick, ints = R.ints, intGrid = R.intGrid, map2 = R.mapGrid, flip = R.flip, correlate = R.correlate, zeros = R.zeros;
  function distinct(rng, lo, hi, n) {  // n distinct integers of [lo, hi]
    var out = [];
    while (out.length < n) {
      var v = rng.int(lo, hi);
      if (out.indexOf(v) < 0) out.push(v);
    }
    return out;
  }
  function padded(x, top, bottom, left, right) {
    var out = zeros(x.length + top + bottom, x[0].length + left + right);
    x.forEach(function (row, i) { row.forEach(function (v, j) { out[i + top][j + left] = v; }); });
    return out;
  }
  function grid(rows) { return rows.map(function (r) { return r.map(function (v) { return num(v); }).join(" "); }).join(" / "); }

  G["conv-mode-size"] = {
    draw: function (rng) {
      var size = rng.int(4, 20);
      return { size: size, k: rng.int(2, Math.min(7, size)), mode: pick(rng, ["valid", "same", "full"]) };
    },
    build: function (p) {
      var n = p.size, k = p.k, mode = p.mode;
      var answer = mode === "valid" ? n - k + 1 : mode === "same" ? n : n + k - 1;
      var solution = {
        valid: "Valid mode pads nothing: " + n + " \u2212 " + k + " + 1 = " + answer + ".",
        same: "Same mode pads " + k + " \u2212 1 zeros in total, which keeps the size: " + answer + ".",
        full: "Full mode pads " + k + " \u2212 1 zeros on every side: " + n + " + " + k + " \u2212 1 = " + answer + ".",
      }[mode];
      var extra = { valid: [[n - k, "Forgot the +1."]], same: [], full: [[n + k, "Forgot the \u22121."]] }[mode];
      return {
        question: "A " + n + "\u00d7" + n + " image is correlated with a " + k + "\u00d7" + k + " kernel in " +
          mode + " mode. How wide is the output?",
        answer: answer,
        solution: solution,
        mistakes: kept(answer, [
          [n - k + 1, "That is the valid size (no padding)."],
          [n, "That is the same size (k \u2212 1 zeros in total)."],
          [n + k - 1, "That is the full size (k \u2212 1 zeros on every side)."],
        ].concat(extra)),
      };
    },
  };

  G["same-even-kernel"] = {
    draw: function (rng) { return { x: intGrid(rng, 3, 3, 0, 4), k: intGrid(rng, 2, 2, -1, 2) }; },
    build: function (p) {
      var x = p.x, k = p.k;
      var answer = correlate(padded(x, 0, 1, 0, 1), k);
      var before = correlate(padded(x, 1, 1, 1, 1), k).slice(0, 3).map(function (r) { return r.slice(0, 3); });
      var flipped = correlate(padded(x, 0, 1, 0, 1), flip(k));
      var terms = [];
      for (var a = 0; a < 2; a++) for (var b = 0; b < 2; b++) terms.push(factor(k[a][b]) + "\u00d7" + factor(x[a][b]));
      return {
        question: "Correlate the 3\u00d73 input with the 2\u00d72 kernel in same mode (as correlate2d and " +
          "PyTorch's padding=\"same\" do). Fill in the 3\u00d73 output.",
        shown: { input: x, kernel: k },
        answer: answer,
        solution: "A 2\u00d72 kernel needs k \u2212 1 = 1 zero per axis, and same mode puts it after the image: " +
          "a row of zeros at the bottom, a column at the right. Top-left: " + terms.join(" + ") + " = " +
          num(answer[0][0]) + ". Bottom-right reads one pixel and three zeros: " + factor(k[0][0]) +
          "\u00d7" + factor(x[2][2]) + " = " + num(answer[2][2]) + ".",
        mistakes: keptGrids(answer, [
          [before, "Put the extra zero at the top and left: same mode pads 0 before and 1 after."],
          [flipped, "Flipped the kernel: correlation uses it as stored."],
        ]),
      };
    },
  };

  var PAD_RULES = {
    reflect: "reflect mirrors the row about its border pixel, which is not repeated",
    replicate: "replicate repeats the border pixel",
    circular: "circular wraps the opposite end around",
  };
  var PAD_HINTS = [
    ["constant", "That is zero padding (mode constant)."],
    ["reflect", "That is reflect: mirrored about the border pixel, which is not repeated."],
    ["replicate", "That is replicate: the border pixel repeated."],
    ["circular", "That is circular: the opposite end wrapped around."],
  ];
  function padRow(row, left, right, mode) {
    var n = row.length, out = [];
    for (var i = -left; i < n + right; i++) {
      var j;
      if (i >= 0 && i < n) j = i;
      else if (mode === "constant") { out.push(0); continue; }
      else if (mode === "reflect") j = i < 0 ? -i : 2 * (n - 1) - i;
      else if (mode === "replicate") j = Math.min(Math.max(i, 0), n - 1);
      else if (mode === "circular") j = ((i % n) + n) % n;
      else j = i < 0 ? -i - 1 : 2 * n - 1 - i;  // NumPy's symmetric
      out.push(row[j]);
    }
    return out;
  }

  G["pad-row"] = {
    draw: function (rng) {
      var n = rng.int(4, 5);
      return { row: distinct(rng, 1, 9, n), mode: pick(rng, ["reflect", "replicate", "circular"]),
        left: rng.int(1, n - 1), right: rng.int(1, n - 1) };
    },
    build: function (p) {
      var row = p.row, mode = p.mode, l = p.left, r = p.right;
      var answer = [padRow(row, l, r, mode)];
      var candidates = PAD_HINTS.filter(function (h) { return h[0] !== mode; }).map(function (h) {
        return [[padRow(row, l, r, h[0])], h[1]];
      });
      if (mode === "reflect") {
        candidates.push([[padRow(row, l, r, "symmetric")], "Repeated the border pixel in the mirror " +
          "(NumPy's symmetric): reflect mirrors about it."]);
      }
      var rule = PAD_RULES[mode];
      return {
        question: "Pad the row " + nums(row) + " with " + l + " cell(s) on the left and " + r + " on the " +
          "right in mode " + mode + ". Fill in the padded row.",
        shown: { row: [row] },
        answer: answer,
        solution: rule[0].toUpperCase() + rule.slice(1) + ": " + nums(answer[0].slice(0, l)) + " | " +
          nums(row) + " | " + nums(answer[0].slice(l + row.length)) + ".",
        mistakes: keptGrids(answer, candidates),
      };
    },
  };

  G["transposed-size"] = {
    draw: function (rng) {
      var k = rng.int(1, 5), s = rng.int(1, 3);
      return { size: rng.int(2, 16), k: k, s: s, p: rng.int(0, Math.floor((k - 1) / 2)), o: rng.int(0, s - 1) };
    },
    build: function (p) {
      var n = p.size, k = p.k, s = p.s, pd = p.p, o = p.o;
      var answer = (n - 1) * s - 2 * pd + (k - 1) + o + 1, candidates = [];
      if (n + 2 * pd >= k) {
        candidates.push([Math.floor((n + 2 * pd - k) / s) + 1,
          "Used the convolution's formula: the transposed convolution runs it backwards."]);
      }
      candidates.push([answer - 1, "Forgot the +1."]);
      candidates.push([answer + pd, "Used total instead of per-side padding: subtract 2p."]);
      candidates.push([answer - o, "Forgot the output padding."]);
      candidates.push([n * s, "Multiplied by the stride only: the kernel and the padding count too."]);
      return {
        question: "ConvTranspose2d with kernel " + k + ", stride " + s + ", padding " + pd + " and output_padding " +
          o + " on a " + n + "\u00d7" + n + " input: how wide is the output?",
        answer: answer,
        solution: "(H \u2212 1)\u00d7s \u2212 2\u00d7p + (k \u2212 1) + output_padding + 1 = (" + n + " \u2212 1)\u00d7" + s +
          " \u2212 2\u00d7" + pd + " + (" + k + " \u2212 1) + " + o + " + 1 = " + answer + ".",
        mistakes: kept(answer, candidates),
      };
    },
  };

  function stamp(x, w, s) {
    var size = (x.length - 1) * s + w.length, out = zeros(size, size);
    for (var i = 0; i < x.length; i++) for (var j = 0; j < x[0].length; j++)
      for (var a = 0; a < w.length; a++) for (var b = 0; b < w[0].length; b++) out[i * s + a][j * s + b] += x[i][j] * w[a][b];
    return out;
  }

  G["transposed-stamp"] = {
    draw: function (rng) { return { x: intGrid(rng, 2, 2, -1, 3), w: intGrid(rng, 2, 2, -1, 2), stride: rng.int(1, 2) }; },
    build: function (p) {
      var x = p.x, w = p.w, s = p.stride, answer = stamp(x, w, s), size = answer.length;
      var overlap = s === 1 ? "copies overlap by one row and one column, and add up there"
        : "the copies sit side by side without overlapping";
      return {
        question: "A transposed convolution with stride " + s + " (no padding) of the 2\u00d72 input with the " +
          "2\u00d72 kernel: fill in the " + size + "\u00d7" + size + " output.",
        shown: { input: x, kernel: w },
        answer: answer,
        solution: "Each input pixel stamps the kernel times its value, the stamps " + s + " apart; " + overlap +
          ". Top-left: " + factor(x[0][0]) + "\u00d7" + factor(w[0][0]) + " = " + num(answer[0][0]) + ".",
        mistakes: keptGrids(answer, [
          [stamp(x, flip(w), s), "Stamped the flipped kernel: each pixel places the kernel as stored."],
        ]),
      };
    },
  };

  G["feature-map-values"] = {
    draw: function (rng) { return { x: intGrid(rng, 5, 5, 0, 2), w: intGrid(rng, 3, 3, -1, 1), b: rng.int(-2, 2) }; },
    build: function (p) {
      var x = p.x, w = p.w, b = p.b;
      var answer = map2(correlate(x, w), function (v) { return v + b; });
      return {
        question: "A Conv2d layer with one 3\u00d73 kernel (shown) and bias b = " + num(b) + " reads the 5\u00d75 " +
          "input (stride 1, no padding). Fill in its 3\u00d73 feature map.",
        shown: { input: x, kernel: w },
        answer: answer,
        solution: "Slide the kernel over the 3\u00d73 positions where it fits; at each, multiply the window by " +
          "the kernel as stored (no flip), add the nine products and the bias. Top-left: " +
          num(answer[0][0] - b) + " + " + factor(b) + " = " + num(answer[0][0]) + ".",
        mistakes: keptGrids(answer, [
          [map2(answer, function (v) { return v - b; }), "Forgot the bias: it is added at every position."],
          [map2(correlate(x, flip(w)), function (v) { return v + b; }), "Flipped the kernel: a convolutional layer correlates."],
        ]),
      };
    },
  };

  G["sobel-gx"] = {
    draw: function (rng) { return { patch: intGrid(rng, 3, 3, 0, 9) }; },
    build: function (p) {
      var x = p.patch;
      var r = [x[0][2], x[1][2], x[2][2]], l = [x[0][0], x[1][0], x[2][0]];
      var answer = (r[0] + 2 * r[1] + r[2]) - (l[0] + 2 * l[1] + l[2]);
      var gy = (x[2][0] + 2 * x[2][1] + x[2][2]) - (x[0][0] + 2 * x[0][1] + x[0][2]);
      var prewitt = (r[0] + r[1] + r[2]) - (l[0] + l[1] + l[2]);
      return {
        question: "Apply sobel_x (rows: \u22121 0 1 / \u22122 0 2 / \u22121 0 1) by cross-correlation to the 3\u00d73 " +
          "patch with rows " + grid(x) + ". What is g_x at its centre?",
        shown: { patch: x },
        answer: answer,
        solution: "Right column minus left column, the middle row counted twice: (" + num(r[0]) + " + 2\u00d7" +
          num(r[1]) + " + " + num(r[2]) + ") \u2212 (" + num(l[0]) + " + 2\u00d7" + num(l[1]) + " + " + num(l[2]) +
          ") = " + num(answer) + ".",
        mistakes: kept(answer, [
          [-answer, "Flipped the kernel (convolution): the sign of g_x is reversed."],
          [gy, "Used sobel_y: that is the derivative down the rows."],
          [prewitt, "Weighted the three rows equally (Prewitt): Sobel counts the middle row twice."],
        ]),
      };
    },
  };

  function convolve1(a, v) {
    var out = new Array(a.length + v.length - 1).fill(0);
    a.forEach(function (ai, i) { v.forEach(function (vj, j) { out[i + j] += ai * vj; }); });
    return out;
  }

  G["polynomial-product"] = {
    draw: function (rng) { return { a: ints(rng, -2, 4, 3), v: distinct(rng, 1, 5, 2) }; },
    build: function (p) {
      var a = p.a, v = p.v, answer = [convolve1(a, v)];
      return {
        question: "Multiply the polynomials with coefficients a = (" + nums(a) + ") and v = (" + nums(v) +
          "), constant term first (a0 + a1 x + a2 x\u00b2, v0 + v1 x). Fill in the coefficients of the " +
          "product, constant term first.",
        shown: { a: [a], v: [v] },
        answer: answer,
        solution: "The coefficient of x^n collects every a_m \u00d7 v_(n\u2212m): the full convolution of the two " +
          "lists. x\u2070: " + factor(a[0]) + "\u00d7" + factor(v[0]) + " = " + num(answer[0][0]) + "; x\u00b9: " +
          factor(a[0]) + "\u00d7" + factor(v[1]) + " + " + factor(a[1]) + "\u00d7" + factor(v[0]) + " = " +
          num(answer[0][1]) + ".",
        mistakes: keptGrids(answer, [
          [[convolve1(a, v.slice().reverse())], "Did not flip v: that is the correlation, not the convolution."],
        ]),
      };
    },
  };
})();
