// JavaScript ports of the generators of cnnbook/exercises/network_sees/ ("new numbers").
// Each build(params) must give the same question, answer, solution and known mistakes as
// the Python generator; the browser tests compare them on random parameters.
(function () {
  "use strict";
  var ex = (window.cnnbookExercises = window.cnnbookExercises || { generators: {} });
  ex.generators = ex.generators || {};
  var G = ex.generators;

  // --- plain text: plain_text.js, as cnnbook/exercises/plain_text.py writes it ---
  var T = ex.plainText;
  var grid = T.grid, numberMistakes = T.numberMistakes, gridMistakes = T.gridMistakes;
  // --- grids and draws: grids.js ---
  var R = ex.grids;
  var zeros = R.zeros, pick = R.pick, intGrid = R.intGrid, mapGrid = R.mapGrid;


  // --- feature hierarchy ---
  G["conv-pool-conv-field"] = {
    draw: function (rng) { return { k1: pick(rng, [3, 5, 7]), pool: pick(rng, [2, 3]), k2: pick(rng, [3, 5]) }; },
    build: function (p) {
      var k1 = p.k1, pool = p.pool, k2 = p.k2;
      var answer = 1 + (k1 - 1) + (pool - 1) + (k2 - 1) * pool;
      return {
        question: "A " + k1 + "×" + k1 + " convolution, a " + pool + "×" + pool + " max pool with stride " + pool + ", then a " +
          k2 + "×" + k2 + " convolution (all unpadded). How many input pixels wide is the receptive field of a unit of the second convolution?",
        answer: answer,
        solution: "r = 1 + (" + k1 + " − 1) × 1 + (" + pool + " − 1) × 1 + (" + k2 + " − 1) × " + pool + " = " + answer +
          ": after the pool the jump is " + pool + ".",
        mistakes: numberMistakes(answer, [
          [k1 + k2 - 1, "Forgot the pool: its window widens the field, and its stride multiplies the jump, so the second kernel's k − 1 counts pool times."],
          [k1 + (pool - 1) + (k2 - 1), "Forgot the jump/stride product: after the pool, neighbouring units are " + pool +
            " pixels apart, so the second kernel adds (" + k2 + " − 1) × " + pool + "."],
          [k1 + (k2 - 1) * pool, "Forgot the pool's own window: it adds pool − 1 cells."],
          [k2, "That is the kernel of the second layer alone: it reads first-layer units."],
        ]),
      };
    },
  };

  // --- a CNN in your browser ---
  G["block-average"] = {
    draw: function (rng) {
      var b = zeros(8, 8);
      for (var i = 0; i < 8; i++) for (var j = 0; j < 8; j++) b[i][j] = rng() < 0.45 ? 1 : 0;
      return { bitmap: b };
    },
    build: function (p) {
      var counts = zeros(2, 2), maxes = zeros(2, 2);
      for (var i = 0; i < 8; i++) for (var j = 0; j < 8; j++) {
        var bi = Math.floor(i / 4), bj = Math.floor(j / 4);
        counts[bi][bj] += p.bitmap[i][j];
        maxes[bi][bj] = Math.max(maxes[bi][bj], p.bitmap[i][j]);
      }
      var answer = mapGrid(counts, function (v) { return v / 16; });
      return {
        question: "The pad turns a drawing into the digits' format by counting the ink pixels of each 4×4 block of a bitmap " +
          "and dividing by 16. Fill in the 2×2 result for this 8×8 bitmap (1: ink), exactly (e.g. 0.4375).",
        answer: answer,
        solution: "Each output pixel is its block's ink count over 16: the counts are " + grid(counts) + ", so the pixels are " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [counts, "Forgot to divide the count by 16."],
          [maxes, "Took the maximum of each block: the pixel is the share of ink, the count divided by 16."],
        ]),
        shown: { bitmap: p.bitmap },
      };
    },
  };

  // --- where the network looks ---
  G["relu-saliency"] = {
    draw: function (rng) { return { x: intGrid(rng, 3, 3, -2, 2), w: intGrid(rng, 2, 2, -2, 2) }; },
    build: function (p) {
      var pre = zeros(2, 2), gradient = zeros(3, 3), noRelu = zeros(3, 3), i, j, a, b;
      for (i = 0; i < 2; i++) for (j = 0; j < 2; j++)
        for (a = 0; a < 2; a++) for (b = 0; b < 2; b++) pre[i][j] += p.x[i + a][j + b] * p.w[a][b];
      for (i = 0; i < 2; i++) for (j = 0; j < 2; j++)
        for (a = 0; a < 2; a++) for (b = 0; b < 2; b++) {
          noRelu[i + a][j + b] += p.w[a][b];
          if (pre[i][j] > 0) gradient[i + a][j + b] += p.w[a][b];
        }
      var answer = mapGrid(gradient, Math.abs);
      return {
        question: "A tiny network scores a 3×3 image x: z = Σ ReLU(x ⋆ w) over the four positions of the 2×2 kernel w " +
          "(valid cross-correlation, no bias). Fill in the saliency map |∂z/∂x|.",
        answer: answer,
        solution: "The four pre-activations x ⋆ w are " + grid(pre) + "; each positive one adds w at its window to ∂z/∂x, " +
          "the others add nothing: ∂z/∂x = " + grid(gradient) + ", so |∂z/∂x| = " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [mapGrid(noRelu, Math.abs), "Ignored the ReLU: a unit whose input is not positive is switched off and passes no gradient back."],
          [gradient, "Forgot the absolute value: saliency is |∂z/∂x|."],
          [mapGrid(gradient, function (v, i, j) { return Math.abs(v * p.x[i][j]); }), "Multiplied by the input: saliency is the gradient alone."],
        ]),
        shown: { x: p.x, w: p.w },
      };
    },
  };
})();
