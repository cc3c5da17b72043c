// JavaScript ports of the generators of the package cnnbook/exercises/key_concepts/ ("new numbers").
// Each build(params) must give the same question, answer, solution and known mistakes as
// the Python generator; the browser tests compare them on random parameters.
(function () {
  "use strict";
  var ex = (window.cnnbookExercises = window.cnnbookExercises || { generators: {} });
  ex.generators = ex.generators || {};
  var G = ex.generators;

  // --- plain text: plain_text.js, as cnnbook/exercises/plain_text.py writes it ---
  var T = ex.plainText;
  var grid = T.grid, channels = T.channels;
  var numberMistakes = T.numberMistakes, gridMistakes = T.gridMistakes;
  // --- grids and draws: grids.js ---
  var R = ex.grids;
  var zeros = R.zeros, roll = R.roll, maxPool2 = R.maxPool2, pick = R.pick, intGrid = R.intGrid;
  function roundHalfUp(x) { return Math.floor(x + 0.5); }
  function convCount(cIn, cOut, k1, k2, bias, groups) {
    return cOut * (cIn / groups) * k1 * k2 + (bias ? cOut : 0);
  }
  function outSize(size, k, pad, stride) { return Math.floor((size + 2 * pad - k) / (stride || 1)) + 1; }

  // --- local receptive fields ---
  G["locally-connected-count"] = {
    draw: function (rng) {
      return { c_in: pick(rng, [1, 3]), c_out: rng.int(2, 8), size: rng.int(6, 16), k: pick(rng, [3, 5]) };
    },
    build: function (p) {
      var o = outSize(p.size, p.k, 0);
      var conv = convCount(p.c_in, p.c_out, p.k, p.k, true, 1);
      var answer = o * o * conv;
      var noBias = o * o * convCount(p.c_in, p.c_out, p.k, p.k, false, 1);
      var dense = (p.c_in * p.size * p.size + 1) * p.c_out * o * o;
      return {
        question: "A convolution with " + p.c_out + " filters of " + p.k + "×" + p.k + " maps " +
          channels(p.c_in) + " of " + p.size + "×" + p.size + " pixels to " + p.c_out +
          " channels (stride 1, no padding). A locally connected layer has the same windows, " +
          "but every output position has weights and a bias of its own. How many parameters does it have?",
        answer: answer,
        solution: "The output is " + o + "×" + o + " (" + p.size + " − " + p.k + " + 1). One set of filters has " +
          p.c_out + " × (" + p.c_in + " × " + p.k + " × " + p.k + " + 1) = " + conv +
          " parameters; without sharing there is one set per output position: " + o + " × " + o + " × " +
          conv + " = " + answer + ".",
        mistakes: numberMistakes(answer, [
          [conv, "That is the convolution: without sharing, every output position has its own copy of the filters."],
          [noBias, "Forgot the bias: every output unit of a locally connected layer has a bias of its own."],
          [p.size * p.size * conv, "Counted one copy per input position: the copies are one per output position, and the output is smaller than the input."],
          [dense, "That is the dense layer: locality keeps only each unit's window."],
        ]),
      };
    },
  };

  // --- the receptive field of the neuron ---
  G["receptive-field-stack"] = {
    draw: function (rng) {
      var layers = [];
      for (var i = 0; i < 3; i++) {
        var k = rng.int(2, 5);
        layers.push([k, rng.int(1, Math.min(k, 3))]);
      }
      if (layers[0][1] === 1 && layers[1][1] === 1) layers[0][1] = 2;
      return { layers: layers };
    },
    build: function (p) {
      var jumps = [1], r = 1, noJump = 1, ownStride = 1, sumK = 0;
      p.layers.forEach(function (l, i) {
        var k = l[0], s = l[1];
        r += (k - 1) * jumps[i];
        noJump += k - 1;
        ownStride += (k - 1) * jumps[i] * s;
        sumK += k;
        jumps.push(jumps[i] * s);
      });
      var described = p.layers.map(function (l) { return l[0] + "×" + l[0] + " with stride " + l[1]; }).join(", then ");
      var terms = p.layers.map(function (l, i) { return "(" + l[0] + " − 1) × " + jumps[i]; }).join(" + ");
      return {
        question: "Three layers are stacked: " + described + " (no dilation). How many input cells wide is the receptive field of one unit of the third layer?",
        answer: r,
        solution: "r = 1 + Σ (k − 1) × jump, the jump being the product of the earlier strides (" +
          jumps.slice(0, 3).join(", ") + "): 1 + " + terms + " = " + r + ".",
        mistakes: numberMistakes(r, [
          [noJump, "Forgot the jump/stride product: each layer adds k − 1 times the product of the strides before it."],
          [sumK, "Added the kernel sizes: neighbouring windows overlap; each layer adds (k − 1) × jump."],
          [ownStride, "Multiplied by the layer's own stride as well: only the strides of the layers before it count."],
        ]),
      };
    },
  };

  // --- effective receptive field ---
  G["two-layer-gradient-map"] = {
    draw: function (rng) { return { w1: intGrid(rng, 2, 2, -2, 2), w2: intGrid(rng, 2, 2, -2, 2) }; },
    build: function (p) {
      var answer = zeros(3, 3), flipped = zeros(3, 3);
      for (var a = 0; a < 2; a++)
        for (var b = 0; b < 2; b++)
          for (var c = 0; c < 2; c++)
            for (var d = 0; d < 2; d++) {
              answer[a + c][b + d] += p.w1[a][b] * p.w2[c][d];
              flipped[a + c][b + d] += p.w1[a][b] * p.w2[1 - c][1 - d];
            }
      return {
        question: "A 3×3 input x goes through two 2×2 convolutions (cross-correlations, no padding, no bias, " +
          "no nonlinearity) with the kernels w1 then w2, giving a single output y. Fill in the gradient map ∂y/∂x[i][j].",
        answer: answer,
        solution: "Every path from x[i][j] to y goes through one tap w1[a][b] and one tap w2[i − a][j − b]; " +
          "summing over the paths gives the full convolution of the two kernels: " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [flipped, "Flipped the second kernel: a path through w1[a][b] continues through w2[i − a][j − b], a convolution of the kernels with no flip."],
        ]),
        shown: { w1: p.w1, w2: p.w2 },
      };
    },
  };

  // --- weight sharing ---
  G["sharing-factor"] = {
    draw: function (rng) {
      var k = pick(rng, [3, 5]);
      return { c_in: pick(rng, [1, 3]), c_out: pick(rng, [4, 6, 8, 16]), size: rng.int(8, 32), k: k, padding: pick(rng, [0, (k - 1) / 2]) };
    },
    build: function (p) {
      var o = outSize(p.size, p.k, p.padding);
      var conv = convCount(p.c_in, p.c_out, p.k, p.k, true, 1);
      var local = o * o * conv;
      var dense = (p.c_in * p.size * p.size + 1) * p.c_out * o * o;
      var answer = roundHalfUp(local / conv);
      return {
        question: p.c_out + " filters of " + p.k + "×" + p.k + " on " + channels(p.c_in) + " of " + p.size + "×" + p.size +
          ", stride 1, padding " + p.padding + ". By what factor does weight sharing divide the parameters of the locally connected layer with the same windows?",
        answer: answer,
        solution: "The output is " + o + "×" + o + " (" + p.size + " + 2 × " + p.padding + " − " + p.k +
          " + 1). The locally connected layer has one copy of the " + conv + " parameters per output position, " +
          local + " in all; sharing keeps one copy: a factor of " + o + " × " + o + " = " + answer + ", whatever the channels.",
        mistakes: numberMistakes(answer, [
          [roundHalfUp(dense / conv), "Counted locality and sharing together: that is the dense layer over the convolution."],
          [roundHalfUp(dense / local), "That is locality's saving (dense over locally connected), not sharing's."],
          [p.size * p.size, "Used the input size: one copy per output position is shared."],
          [conv, "That is the convolution's parameter count, not the factor."],
        ]),
      };
    },
  };

  function circularConv(x, w) { // kernel 2×2: one row/column of wrap before, as conv2d_circular
    var h = x.length, wd = x[0].length, out = zeros(h, wd);
    for (var i = 0; i < h; i++)
      for (var j = 0; j < wd; j++)
        for (var a = 0; a < w.length; a++)
          for (var b = 0; b < w[0].length; b++) {
            var r = (((i + a - Math.floor(w.length / 2)) % h) + h) % h;
            var c = (((j + b - Math.floor(w[0].length / 2)) % wd) + wd) % wd;
            out[i][j] += w[a][b] * x[r][c];
          }
    return out;
  }
  G["shifted-feature-map"] = {
    draw: function (rng) { return { x: intGrid(rng, 4, 4, 0, 2), w: intGrid(rng, 2, 2, -1, 1) }; },
    build: function (p) {
      var y = circularConv(p.x, p.w);
      var answer = circularConv(roll(p.x, 1), p.w);
      return {
        question: "The 4×4 input x is convolved (cross-correlation with circular padding: the map keeps x's size and " +
          "the image wraps around at its edges) with the 2×2 kernel w, giving the feature map y. Now x is shifted " +
          "circularly one column to the right. Fill in the new feature map.",
        answer: answer,
        solution: "Every position uses the same weights, so the map shifts with the input: each column of y moves " +
          "one place right and the last one wraps around to the front: " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [y, "That is the map of the original input: convolution is equivariant, not invariant; its map moves with the input."],
          [roll(y, -1), "Shifted the map to the left: it moves as the input does."],
        ]),
        shown: { x: p.x, w: p.w, y: y },
      };
    },
  };

  // --- parameter count ---
  G["conv-parameter-count"] = {
    draw: function (rng) {
      var cIn = pick(rng, [1, 3, 4, 8, 16, 32, 64]), cOut = pick(rng, [4, 8, 16, 32, 64, 128]);
      var groups = [1, 2, 4].filter(function (g) { return cIn % g === 0 && cOut % g === 0; });
      return { c_in: cIn, c_out: cOut, k1: pick(rng, [1, 3, 5, 7]), k2: pick(rng, [1, 3, 5, 7]), groups: pick(rng, groups) };
    },
    build: function (p) {
      var answer = convCount(p.c_in, p.c_out, p.k1, p.k2, true, p.groups);
      var noBias = convCount(p.c_in, p.c_out, p.k1, p.k2, false, p.groups);
      return {
        question: "A Conv2d layer with " + p.c_in + " input channels, " + p.c_out + " filters of " + p.k1 + "×" + p.k2 +
          ", groups=" + p.groups + " and a bias. How many parameters does it have?",
        answer: answer,
        solution: "C_out × (C_in / groups) × k1 × k2 + C_out = " + p.c_out + " × (" + p.c_in + " / " + p.groups + ") × " +
          p.k1 + " × " + p.k2 + " + " + p.c_out + " = " + answer + ".",
        mistakes: numberMistakes(answer, [
          [noBias, "Forgot the bias: one per filter."],
          [convCount(p.c_in, p.c_out, p.k1, p.k2, true, 1), "Ignored the groups: each filter sees only C_in / groups channels."],
          [convCount(1, p.c_out, p.k1, p.k2, true, 1), "Forgot the input channels: a filter has a k1×k2 slice per channel it sees."],
          [noBias + p.c_in, "Gave a bias to each input channel: there is one per filter (output channel)."],
        ]),
      };
    },
  };

  // --- translation invariance ---
  G["total-stride"] = {
    draw: function (rng) {
      var layers = [];
      for (var i = 0; i < 3; i++) layers.push(rng() < 0.5 ? ["conv", rng.int(1, 2)] : ["max_pool", rng.int(2, 3)]);
      if (layers.every(function (l) { return l[1] === 1; })) layers[1] = ["max_pool", 2];
      return { layers: layers };
    },
    build: function (p) {
      var strides = p.layers.map(function (l) { return l[1]; });
      var answer = strides.reduce(function (a, b) { return a * b; }, 1);
      var described = p.layers.map(function (l) {
        return l[0] === "conv" ? "a 3×3 convolution with stride " + l[1] : "a " + l[1] + "×" + l[1] + " max pool";
      }).join(", ");
      return {
        question: "A network with circular padding: " + described + ", each followed by a ReLU, then global average pooling. " +
          "What is the smallest positive horizontal circular shift of the input that leaves its output exactly unchanged for any weights?",
        answer: answer,
        solution: "A shift passes through exactly only if every strided layer can match it by a whole shift of its output, " +
          "i.e. if it is a multiple of the total stride, the product of the strides (a pool's stride is its size): " +
          strides.join(" × ") + " = " + answer + ".",
        mistakes: numberMistakes(answer, [
          [strides.reduce(function (a, b) { return a + b; }, 0), "Added the strides: the total stride is their product."],
          [strides[strides.length - 1], "Used only the last layer's stride: every stride before global pooling multiplies."],
          [1, "Global pooling is exactly invariant to every shift only when the total stride is 1."],
          [Math.max.apply(null, strides), "Took the largest stride: the strides multiply."],
        ]),
      };
    },
  };

  G["pooled-shift"] = {
    draw: function (rng) { return { x: intGrid(rng, 4, 6, 0, 9) }; },
    build: function (p) {
      var pooled = maxPool2(p.x);
      var answer = maxPool2(roll(p.x, 2));
      return {
        question: "The 4×6 map x is max pooled with 2×2 windows and stride 2 (a 2×3 result). Now x is shifted circularly " +
          "two columns to the right. Fill in the pooled map of the shifted x.",
        answer: answer,
        solution: "A 2-column shift moves every 2×2 window onto the next window: the pooled map moves by 2 ÷ 2 = 1 cell " +
          "(equivariance at the coarser scale), its last column wrapping to the front: " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [pooled, "That is the pooled map of the original: pooling is not invariant, its map moves."],
          [roll(pooled, 2), "Moved the pooled map by 2 cells: it moves by shift ÷ stride = 1 cell."],
        ]),
        shown: { x: p.x },
      };
    },
  };
})();
