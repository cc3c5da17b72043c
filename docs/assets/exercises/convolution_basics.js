/*
 * JavaScript ports of the generators of cnnbook/exercises/convolution_basics.py
 * (pages Kernel, Cross-Correlation and Convolution, Output Size).
 *
 * build(params) must return exactly what the Python Generator.build returns: the same
 * answer, the same question/solution/hint strings (plain text), the same mistakes in the
 * same order. tests/browser/test_exercise_generators.py proves it on random parameters.
 */
(function () {
  "use strict";
  var ns = (window.cnnbookExercises = window.cnnbookExercises || {});
  ns.generators = ns.generators || {};

  function floorDiv(a, b) {
    return Math.floor(a / b);
  }

  // Plain text (integers) and known mistakes: plain_text.js, as cnnbook/exercises/plain_text.py.
  var T = ns.plainText;
  var firstWins = T.firstWins, n = T.integer, products = T.products, rows = T.rows;
  // Grids and draws: grids.js.
  var intGrid = ns.grids.intGrid, flip = ns.grids.flip, correlate = ns.grids.correlate;
  function flipRows(k) { return k.slice().reverse().map(function (row) { return row.slice(); }); }
  function flipCols(k) { return k.map(function (row) { return row.slice().reverse(); }); }
  function transpose(k) { return k[0].map(function (_, j) { return k.map(function (row) { return row[j]; }); }); }
  function convolve(x, k) { return correlate(x, flip(k)); }
  function topLeft(x, r, c) { return x.slice(0, r).map(function (row) { return row.slice(0, c); }); }

  // ------------------------------------------------------------- Kernel

  // The integer kernels of cnnbook.KERNELS (the browser test checks them against it).
  var KERNELS = {
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "prewitt x": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "prewitt y": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
  };
  var KERNEL_NAMES = ["sharpen", "sobel x", "sobel y", "prewitt x", "prewitt y", "laplacian"];

  ns.generators["kernel-response"] = {
    draw: function (rng) {
      var name = KERNEL_NAMES[rng.int(0, KERNEL_NAMES.length - 1)];
      return { patch: intGrid(rng, 3, 3, 0, 9), kernel: name };
    },
    build: function (p) {
      var x = p.patch, name = p.kernel, k = KERNELS[name];
      if (!k) throw new Error("kernel (=" + name + ") must be one of " + KERNEL_NAMES.join(", "));
      var y = correlate(x, k)[0][0], sum = 0;
      x.forEach(function (row) { row.forEach(function (v) { sum += v; }); });
      return {
        question: "The " + name + " kernel lies on this 3 \u00d7 3 patch of an image. What number does it " +
          "write into the output?",
        answer: y,
        solution: "Multiply each pixel by the weight on top of it and add the products: " + products(x, k) +
          " = " + n(y) + ".",
        mistakes: firstWins(y, [
          [convolve(x, k)[0][0], "You flipped the kernel (that is a convolution): a kernel is laid on the " +
            "patch as it is printed, weight (0, 0) on pixel (0, 0)."],
          [sum, "You added the pixels without multiplying them by the weights."],
          [x[1][1] * k[1][1] + 0, "You used only the centre weight: every weight multiplies the pixel " +
            "under it, and all the products are added."],
        ]),
        shown: { patch: x, kernel: k },
      };
    },
  };

  // ------------------------------------------------- Cross-Correlation and Convolution

  ns.generators["correlate-grid"] = {
    draw: function (rng) { return { image: intGrid(rng, 4, 4, -2, 3), kernel: intGrid(rng, 2, 2, -1, 2) }; },
    build: function (p) {
      var x = p.image, k = p.kernel, y = correlate(x, k);
      var h = y.length, w = y[0].length, kh = k.length, kw = k[0].length;
      return {
        question: "Fill in the valid cross-correlation of the " + x.length + " \u00d7 " + x[0].length +
          " input with the " + kh + " \u00d7 " + kw + " kernel, as a convolutional layer computes it: a " +
          h + " \u00d7 " + w + " output.",
        answer: y,
        solution: "Each output cell is the sum of the " + kh + " \u00d7 " + kw + " window under the kernel " +
          "times the kernel, cell by cell, the kernel as it is (no flip). Top-left: " +
          products(topLeft(x, kh, kw), k) + " = " + n(y[0][0]) + ". Sliding one cell at a time gives the rows " +
          rows(y) + ".",
        mistakes: firstWins(y, [
          [convolve(x, k), "You flipped the kernel: that is the convolution. A convolutional layer " +
            "(and correlate2d) slides the kernel as it is."],
          [correlate(x, transpose(k)), "You transposed the kernel (swapped its rows and columns): lay it on the " +
            "window as it is printed."],
        ]),
        shown: { input: x, kernel: k },
      };
    },
  };

  ns.generators["convolve-entry"] = {
    draw: function (rng) { return { image: intGrid(rng, 3, 3, -3, 5), kernel: intGrid(rng, 3, 3, -2, 2) }; },
    build: function (p) {
      var x = p.image, k = p.kernel, y = convolve(x, k)[0][0], f = flip(k);
      return {
        question: "What is the true convolution (x * k)[0, 0] of this 3 \u00d7 3 patch with this 3 \u00d7 3 " +
          "kernel, as scipy.signal.convolve2d computes it?",
        answer: y,
        solution: "Flip the kernel in both axes (rotate it by 180\u00b0): its rows become " + rows(f) + ". " +
          "Then multiply cell by cell and add: " + products(x, f) + " = " + n(y) + ".",
        mistakes: firstWins(y, [
          [correlate(x, k)[0][0], "You did not flip the kernel: that is the cross-correlation. Convolution " +
            "rotates the kernel by 180\u00b0 first."],
          [correlate(x, flipRows(k))[0][0], "You flipped only the rows: a 180\u00b0 rotation flips the columns too."],
          [correlate(x, flipCols(k))[0][0], "You flipped only the columns: a 180\u00b0 rotation flips the rows too."],
          [correlate(x, transpose(k))[0][0], "You transposed the kernel: a flip reverses both axes, a transpose swaps them."],
        ]),
        shown: { x: x, k: k },
      };
    },
  };

  // ------------------------------------------------------------- Output Size

  function convOutputSize(i, k, s, p, d) {
    return floorDiv(i + 2 * p - d * (k - 1) - 1, s) + 1;
  }

  ns.generators["conv-output-size"] = {
    draw: function (rng) {
      var kernel = rng.int(1, 7);
      var dilation = rng() < 0.3 ? 2 : 1;
      var padding = rng.int(0, 3);
      var stride = rng.int(1, 3);
      var size = rng.int(5, 32);
      size = Math.max(size, dilation * (kernel - 1) + 1 - 2 * padding);
      return { size: size, kernel: kernel, padding: padding, stride: stride, dilation: dilation };
    },
    build: function (p) {
      var i = p.size, k = p.kernel, pad = p.padding, s = p.stride, d = p.dilation;
      var y = convOutputSize(i, k, s, pad, d);
      var span = i + 2 * pad - d * (k - 1) - 1;
      return {
        question: "An input " + i + " cells wide, a kernel of size " + k + ", padding " + pad +
          " on each side, stride " + s + ", dilation " + d + ". How many cells wide is the output?",
        answer: y,
        solution: "Y = \u230a(I + 2p \u2212 d(k \u2212 1) \u2212 1) / s\u230b + 1 = \u230a(" + i + " + 2\u00b7" + pad +
          " \u2212 " + d + "\u00b7(" + k + " \u2212 1) \u2212 1) / " + s + "\u230b + 1 = \u230a" + span + " / " + s +
          "\u230b + 1 = " + floorDiv(span, s) + " + 1 = " + y + ".",
        mistakes: firstWins(y, [
          [floorDiv(span, s), "You forgot the +1: \u230a(\u2026) / s\u230b counts the steps after the first position; " +
            "add 1 for the first position itself."],
          [floorDiv(i + pad - d * (k - 1) - 1, s) + 1, "You used the total instead of the per-side padding: p zeros go on each " +
            "side, so the input grows by 2p."],
          [span + 1, "You ignored the stride: a stride of s keeps only every s-th position, " +
            "so divide by s (and take the floor) before adding 1."],
          [floorDiv(i + 2 * pad - k, s) + 1, "You ignored the dilation: a dilated kernel spans d(k \u2212 1) + 1 cells, not k."],
          [-floorDiv(-span, s) + 1, "You rounded up: the last, incomplete step of the stride is dropped, so take the floor."],
        ]),
      };
    },
  };

  ns.convolutionBasics = { firstWins: firstWins, correlate: correlate, convolve: convolve, convOutputSize: convOutputSize };
})();
