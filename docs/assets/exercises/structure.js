/* JavaScript ports of the generators of the package cnnbook/exercises/structure/ (one module per page).
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
  var pick = R.pick, ints = R.ints, intGrid = R.intGrid, map2 = R.mapGrid, flip = R.flip, correlate = R.correlate;
  function add2(a, b) { return map2(a, function (v, i, j) { return v + b[i][j]; }); }
  function convolve(x, k) { return correlate(x, flip(k)); }

  var CHANNELS = [1, 3, 4, 8, 16, 32, 64], WIDTHS = [16, 32, 64, 128];

  G["neuron-relu"] = {
    draw: function (rng) {
      return { x: ints(rng, -3, 3, 3), w: ints(rng, -3, 3, 3), b: pick(rng, [-3, -2, -1, 1, 2, 3]) };
    },
    build: function (p) {
      var z = p.w[0] * p.x[0] + p.w[1] * p.x[1] + p.w[2] * p.x[2] + p.b;
      var answer = Math.max(0, z);
      var terms = p.w.map(function (w, i) { return factor(w) + "\u00d7" + factor(p.x[i]); }).join(" + ");
      return {
        question: "A neuron has weights w = (" + nums(p.w) + "), bias b = " + num(p.b) +
          " and a ReLU activation. Its input is x = (" + nums(p.x) + "). What does it output?",
        answer: answer,
        solution: "Weighted sum plus bias: " + terms + " + " + factor(p.b) + " = " + num(z) +
          ". ReLU: max(0, " + num(z) + ") = " + num(answer) + ".",
        mistakes: kept(answer, [
          [Math.max(0, z - p.b), "Forgot the bias: add b to the weighted sum before the ReLU."],
          [z, "Forgot the ReLU: a negative weighted sum comes out as 0."],
        ]),
      };
    },
  };

  G["conv-layer-parameters"] = {
    draw: function (rng) {
      return { c_in: pick(rng, CHANNELS), c_out: pick(rng, CHANNELS.slice(1)), k: pick(rng, [1, 3, 5, 7]) };
    },
    build: function (p) {
      var ci = p.c_in, co = p.c_out, k = p.k, answer = co * (ci * k * k + 1);
      return {
        question: "A Conv2d layer maps " + ci + " input channels to " + co + " output channels with " +
          k + "\u00d7" + k + " kernels and a bias. How many parameters does it have?",
        answer: answer,
        solution: "Each of the " + co + " filters spans all " + ci + " input channels: " + ci + "\u00d7" +
          k + "\u00d7" + k + " weights plus 1 bias. " + co + "\u00d7(" + ci + "\u00d7" + k + "\u00d7" + k +
          " + 1) = " + answer + ".",
        mistakes: kept(answer, [
          [co * ci * k * k, "Forgot the bias: one per filter."],
          [co * (k * k + 1), "Forgot the input channels: a filter has a k\u00d7k kernel for every input channel."],
          [co * (ci * k + 1), "Counted k weights per kernel instead of k\u00d7k."],
        ]),
      };
    },
  };

  G["multichannel-output"] = {
    draw: function (rng) {
      return {
        x: [intGrid(rng, 3, 3, 0, 3), intGrid(rng, 3, 3, 0, 3)],
        w: [intGrid(rng, 2, 2, -1, 2), intGrid(rng, 2, 2, -1, 2)],
        b: rng.int(-2, 2),
      };
    },
    build: function (p) {
      var b = p.b, c0 = correlate(p.x[0], p.w[0]), c1 = correlate(p.x[1], p.w[1]);
      var answer = map2(add2(c0, c1), function (v) { return v + b; });
      var flipped = map2(add2(convolve(p.x[0], p.w[0]), convolve(p.x[1], p.w[1])), function (v) { return v + b; });
      return {
        question: "A Conv2d filter over two input channels holds one 2\u00d72 kernel per channel (shown) " +
          "and the bias b = " + num(b) + ". Fill in its 2\u00d72 output (stride 1, no padding).",
        shown: {
          "input channel 0": p.x[0], "input channel 1": p.x[1],
          "kernel for channel 0": p.w[0], "kernel for channel 1": p.w[1],
        },
        answer: answer,
        solution: "Correlate each channel with its own kernel, add the two results position by " +
          "position, then add the bias. Top-left: (" + num(c0[0][0]) + ") + (" + num(c1[0][0]) + ") + " +
          factor(b) + " = " + num(answer[0][0]) + ".",
        mistakes: keptGrids(answer, [
          [map2(answer, function (v) { return v - b; }), "Forgot the bias: it is added to every output value."],
          [map2(c0, function (v) { return v + b; }), "Used channel 0 only: a filter sums over every channel."],
          [flipped, "Flipped the kernels: a convolutional layer correlates, no flip."],
        ]),
      };
    },
  };

  G["conv-kernel-gradient"] = {
    draw: function (rng) { return { x: intGrid(rng, 4, 4, 0, 3), g: intGrid(rng, 2, 2, -2, 2) }; },
    build: function (p) {
      var x = p.x, g = p.g, answer = correlate(x, g);
      return {
        question: "y is the valid correlation of the 4\u00d74 input x with a 3\u00d73 kernel w (stride 1, no " +
          "padding). Given the output gradient g = dL/dy (2\u00d72), fill in dL/dw (3\u00d73).",
        shown: { "input x": x, "output gradient g": g },
        answer: answer,
        solution: "dL/dw[a, c] = \u03a3 g[i, j] \u00d7 x[i + a, j + c]: the valid correlation of x with g. " +
          "Top-left: " + factor(g[0][0]) + "\u00d7" + factor(x[0][0]) + " + " + factor(g[0][1]) + "\u00d7" +
          factor(x[0][1]) + " + " + factor(g[1][0]) + "\u00d7" + factor(x[1][0]) + " + " +
          factor(g[1][1]) + "\u00d7" + factor(x[1][1]) + " = " + num(answer[0][0]) + ".",
        mistakes: keptGrids(answer, [
          [convolve(x, g), "Flipped the output gradient: dL/dw is a correlation of x with g, no flip."],
        ]),
      };
    },
  };

  G["im2col-size"] = {
    draw: function (rng) { return { c: rng.int(1, 8), size: rng.int(5, 12), k: pick(rng, [1, 3, 5]) }; },
    build: function (p) {
      var c = p.c, n = p.size, k = p.k, out = n - k + 1, answer = c * k * k * out * out;
      return {
        question: "im2col for one image of " + c + " channels of " + n + "\u00d7" + n + " and a " + k +
          "\u00d7" + k + " kernel (stride 1, no padding): how many numbers does the matrix hold?",
        answer: answer,
        solution: "One column per output pixel: " + n + " \u2212 " + k + " + 1 = " + out + ", so " + out +
          "\u00d7" + out + " = " + out * out + " columns. Each column is a window of " + c + "\u00d7" + k +
          "\u00d7" + k + " = " + c * k * k + " numbers. " + c * k * k + "\u00d7" + out * out + " = " + answer + ".",
        mistakes: kept(answer, [
          [k * k * out * out, "Forgot the channels: a window spans all of them."],
          [c * k * k * n * n, "Used the input size: there is one column per output pixel."],
          [c * n * n, "Counted each pixel once: im2col copies it into every window that contains it."],
        ]),
      };
    },
  };

  G["bn-running-var"] = {
    draw: function (rng) {
      var v = ints(rng, 0, 9, 4);
      while (v.every(function (t) { return t === v[0]; })) v = ints(rng, 0, 9, 4);
      return { values: v };
    },
    build: function (p) {
      var v = p.values;
      var mean = (v[0] + v[1] + v[2] + v[3]) / 4;
      var biased = v.reduce(function (s, t) { return s + (t - mean) * (t - mean); }, 0) / 4;
      var unbiased = biased * (4 / 3);
      var answer = 0.9 * 1 + 0.1 * biased * (4 / 3);
      return {
        question: "A fresh BatchNorm2d(1) (running mean 0, running variance 1, momentum 0.1) in " +
          "training mode receives a batch of 4 samples whose channel holds " + nums(v) +
          " (one pixel each). What is its running variance afterwards? (4 decimals)",
        answer: answer,
        solution: "Batch mean " + num(mean) + "; biased variance " + num(biased) + ". The running variance " +
          "is fed the unbiased one, " + num(biased) + "\u00d74/3 = " + num(unbiased) +
          ", and moves a tenth of the way: 0.9\u00d71 + 0.1\u00d7" + num(unbiased) + " = " + num(answer) + ".",
        mistakes: kept(answer, [
          [0.9 + 0.1 * biased, "Used the biased variance: the running variance is fed the unbiased one (divided by m \u2212 1)."],
          [unbiased, "Forgot the momentum: the running variance moves a tenth of the way."],
          [0.1 * unbiased, "Started from 0: the running variance starts at 1."],
        ]),
      };
    },
  };

  G["basic-block-parameters"] = {
    draw: function (rng) {
      var ci = pick(rng, WIDTHS), stride = rng.int(1, 2);
      var co = stride === 2 ? ci * 2 : pick(rng, [ci, ci * 2]);
      return { c_in: ci, c_out: co, stride: stride };
    },
    build: function (p) {
      var ci = p.c_in, co = p.c_out, s = p.stride;
      var body = 9 * ci * co + 9 * co * co;
      var projected = s !== 1 || ci !== co;
      var projection = projected ? ci * co + 2 * co : 0;
      var answer = body + 4 * co + projection;
      var shortcut = projected
        ? "the 1\u00d71 projection shortcut, " + ci + "\u00d7" + co + " weights + 2\u00d7" + co +
          " for its batch norm = " + projection
        : "an identity shortcut, no parameters";
      return {
        question: "A ResNet BasicBlock maps " + ci + " channels to " + co + " with stride " + s + ": two " +
          "3\u00d73 convolutions without bias, each followed by a batch norm, and a projection " +
          "shortcut when the shape changes. How many parameters does it have?",
        answer: answer,
        solution: "Convolutions: 3\u00d73\u00d7" + ci + "\u00d7" + co + " + 3\u00d73\u00d7" + co + "\u00d7" + co +
          " = " + body + ". Batch norms: 2\u00d72\u00d7" + co + " = " + 4 * co + " (\u03b3 and \u03b2). Shortcut: " +
          shortcut + ". In all " + answer + ".",
        mistakes: kept(answer, [
          [answer - projection, "Forgot the projection shortcut: the channels or the size change, so the " +
            "shortcut needs a 1\u00d71 convolution and its batch norm."],
          [answer - 4 * co - (projected ? 2 * co : 0), "Forgot the batch norms' \u03b3 and \u03b2."],
          [answer + 2 * co + (projected ? co : 0), "Counted conv biases: the convolutions before a batch " +
            "norm have none."],
        ]),
      };
    },
  };

  G["max-pool-output"] = {
    draw: function (rng) { return { x: intGrid(rng, 4, 4, 0, 9), stride: rng.int(1, 2) }; },
    build: function (p) {
      var x = p.x, s = p.stride, size = Math.floor((4 - 2) / s) + 1, answer = [], mean = [], first = null;
      for (var i = 0; i < size; i++) {
        var rowMax = [], rowMean = [];
        for (var j = 0; j < size; j++) {
          var win = [x[i * s][j * s], x[i * s][j * s + 1], x[i * s + 1][j * s], x[i * s + 1][j * s + 1]];
          if (first === null) first = win;
          rowMax.push(Math.max.apply(null, win));
          rowMean.push((win[0] + win[1] + win[2] + win[3]) / 4);
        }
        answer.push(rowMax);
        mean.push(rowMean);
      }
      return {
        question: "Max pooling with a 2\u00d72 window and stride " + s + " on the 4\u00d74 input: fill in the " +
          size + "\u00d7" + size + " output.",
        shown: { input: x },
        answer: answer,
        solution: "\u230a(4 \u2212 2) / " + s + "\u230b + 1 = " + size + " windows per axis, " + s +
          " apart; each output is its window's largest value. Top-left window: " + nums(first) +
          " \u2192 " + num(answer[0][0]) + ".",
        mistakes: keptGrids(answer, [[mean, "Took each window's mean: that is average pooling."]]),
      };
    },
  };

  G["dense-parameters"] = {
    draw: function (rng) {
      return { c: pick(rng, [4, 8, 16, 32, 64]), size: rng.int(2, 7), n_out: pick(rng, [2, 10, 100]) };
    },
    build: function (p) {
      var c = p.c, n = p.size, o = p.n_out, nIn = c * n * n, answer = nIn * o + o;
      return {
        question: c + " feature maps of " + n + "\u00d7" + n + " are flattened and fed to a dense layer with " +
          o + " outputs. How many parameters does the layer have?",
        answer: answer,
        solution: "Flattened: " + c + "\u00d7" + n + "\u00d7" + n + " = " + nIn + " inputs. Weights " + nIn +
          "\u00d7" + o + " plus " + o + " biases = " + answer + ".",
        mistakes: kept(answer, [
          [nIn * o, "Forgot the bias: one per output."],
          [n * n * o + o, "Forgot the channels: flattening keeps every map, so there are C\u00d7H\u00d7W inputs."],
          [nIn + o, "Counted one weight per input: every output has its own."],
        ]),
      };
    },
  };
})();
