// JavaScript ports of the generators of the package cnnbook/exercises/learning/ ("new numbers").
// Each build(params) must give the same question, answer, solution and known mistakes as
// the Python generator; the browser tests compare them on random parameters.
(function () {
  "use strict";
  var ex = (window.cnnbookExercises = window.cnnbookExercises || { generators: {} });
  ex.generators = ex.generators || {};
  var G = ex.generators;

  // --- plain text: plain_text.js, as cnnbook/exercises/plain_text.py writes it ---
  var T = ex.plainText;
  var num = T.num, operand = T.operand, fixed = T.fixed, grid = T.grid;
  var numberMistakes = T.numberMistakes, gridMistakes = T.gridMistakes;
  // --- grids and draws: grids.js ---
  var R = ex.grids;
  var zeros = R.zeros, pick = R.pick, intGrid = R.intGrid, mapGrid = R.mapGrid;


  // --- learning a kernel ---
  G["kernel-gradient"] = {
    draw: function (rng) { return { x: intGrid(rng, 3, 3, -2, 2), w: intGrid(rng, 2, 2, -1, 1), t: intGrid(rng, 2, 2, -3, 3) }; },
    build: function (p) {
      var y = zeros(2, 2), answer = zeros(2, 2), i, j, a, b;
      for (i = 0; i < 2; i++) for (j = 0; j < 2; j++)
        for (a = 0; a < 2; a++) for (b = 0; b < 2; b++) y[i][j] += p.x[i + a][j + b] * p.w[a][b];
      var error = mapGrid(y, function (v, i, j) { return v - p.t[i][j]; });
      for (a = 0; a < 2; a++) for (b = 0; b < 2; b++)
        for (i = 0; i < 2; i++) for (j = 0; j < 2; j++) answer[a][b] += p.x[i + a][j + b] * (2 * error[i][j] / 4);
      return {
        question: "A 2×2 kernel w is learned from one 3×3 image x and its 2×2 target t, with the loss " +
          "L = (1/4) Σ ((x ⋆ w)[i][j] − t[i][j])² (⋆: valid cross-correlation). Fill in the gradient ∂L/∂w.",
        answer: answer,
        solution: "The output x ⋆ w is " + grid(y) + "; the error e = x ⋆ w − t is " + grid(error) +
          "; ∂L/∂w = (2/4) x ⋆ e, entry [a][b] being (1/2) Σ x[i + a][j + b] e[i][j]: " + grid(answer) + ".",
        mistakes: gridMistakes(answer, [
          [mapGrid(answer, function (v) { return 2 * v; }), "Forgot the factor 2/M (M = 4 outputs): the loss is the mean, and the square brings down a 2."],
          [mapGrid(answer, function (v) { return -v; }), "Used t − x ⋆ w: the error is the output minus the target."],
          [mapGrid(answer, function (v, i, j) { return answer[1 - i][1 - j]; }), "Flipped the gradient: it is the correlation of x with the error, in the kernel's own orientation."],
        ]),
        shown: { x: p.x, w: p.w, t: p.t },
      };
    },
  };

  // --- softmax and cross-entropy ---
  var THREE_DECIMALS = 0.0005;
  G["cross-entropy"] = {
    draw: function (rng) { return { logits: [rng.int(-3, 3), rng.int(-3, 3), rng.int(-3, 3)], target: rng.int(0, 2) }; },
    build: function (p) {
      var z = p.logits, y = p.target;
      var m = Math.max.apply(null, z);
      var lseStable = m + Math.log(z.reduce(function (s, v) { return s + Math.exp(v - m); }, 0));
      var prob = z.map(function (v) { return Math.exp(v - lseStable); });
      var answer = lseStable - z[y];
      var lse = Math.log(z.reduce(function (s, v) { return s + Math.exp(v); }, 0));
      var pairs = [];
      for (var c = 0; c < 3; c++) {
        if (c !== y) pairs.push([-Math.log(prob[c]), "Used the log of the wrong class: that is −ln p" + c + "; the correct class is " + y + "."]);
      }
      pairs.push([Math.log(prob[y]), "Forgot the minus sign: the loss is −ln p, never negative."]);
      pairs.push([-Math.log10(prob[y]), "Used the base-10 log: cross-entropy uses the natural log."]);
      pairs.push([lse, "Forgot to subtract the correct class's logit: L = ln Σ e^z − z_y."]);
      return {
        question: "A classifier outputs the logits (" + z.map(num).join(", ") + ") for the classes 0, 1, 2; the correct class is " +
          y + ". What is the cross-entropy loss (natural log, to 3 decimals)?",
        answer: answer,
        solution: "softmax gives p = (" + prob.map(function (v) { return fixed(v, 3); }).join(", ") + "); L = −ln p" + y +
          " = ln(Σ e^z) − z" + y + " = " + fixed(lse, 3) + " − " + num(z[y]) + " = " + fixed(answer, 3) + ".",
        mistakes: numberMistakes(answer, pairs, THREE_DECIMALS),
      };
    },
  };

  // --- optimizers ---
  G["momentum-two-steps"] = {
    draw: function (rng) {
      var nz = [-4, -3, -2, -1, 1, 2, 3, 4];
      return { theta: rng.int(-3, 3), g1: pick(rng, nz), g2: pick(rng, nz), lr: pick(rng, [0.1, 0.2, 0.5]), mu: pick(rng, [0.5, 0.9]) };
    },
    build: function (p) {
      var th = p.theta, g1 = p.g1, g2 = p.g2, lr = p.lr, mu = p.mu;
      var theta1 = th - lr * g1;
      var b2 = mu * g1 + g2;
      var answer = theta1 - lr * b2;
      var plain = (th - lr * g1) - lr * g2;
      var n1 = th - lr * (g1 + mu * g1);
      var nesterov = n1 - lr * (g2 + mu * b2);
      var averaged = theta1 - lr * (mu * g1 + (1 - mu) * g2);
      return {
        question: "SGD with momentum μ = " + num(mu) + " and learning rate " + num(lr) +
          " (torch's rule: b = μb + g, θ = θ − lr·b, the buffer b starting at the first gradient) starts at θ = " +
          num(th) + ". The first gradient is " + num(g1) + ", the second " + num(g2) + ". What is θ after the two steps? (to 3 decimals)",
        answer: answer,
        solution: "Step 1: b = " + num(g1) + ", θ = " + num(th) + " − " + num(lr) + " × " + operand(g1) + " = " + num(theta1) +
          ". Step 2: b = " + num(mu) + " × " + operand(g1) + " + " + operand(g2) + " = " + num(b2) + ", θ = " + num(theta1) +
          " − " + num(lr) + " × " + operand(b2) + " = " + num(answer) + ".",
        mistakes: numberMistakes(answer, [
          [plain, "Forgot the momentum buffer: that is plain SGD."],
          [nesterov, "That is Nesterov's update; this is plain momentum."],
          [averaged, "Averaged the gradients (b = μb + (1 − μ)g): torch's momentum adds the whole new gradient to μb."],
          [theta1, "Stopped after the first step."],
        ], THREE_DECIMALS),
      };
    },
  };

  G["adam-first-step"] = {
    draw: function (rng) { return { theta: rng.int(-3, 3), g: pick(rng, [-50, -8, -3, -1, 1, 2, 5, 20, 100]), lr: pick(rng, [0.01, 0.1, 0.3]) }; },
    build: function (p) {
      var th = p.theta, g = p.g, lr = p.lr, beta1 = 0.9, beta2 = 0.999;
      var m = (1 - beta1) * g, v = (1 - beta2) * g * g;
      var answer = th - (lr / (1 - beta1)) * (m / (Math.sqrt(v) / Math.sqrt(1 - beta2) + 1e-8));
      return {
        question: "Adam (β1 = 0.9, β2 = 0.999, ε = 1e−8) with learning rate " + num(lr) + " takes its first step from θ = " +
          num(th) + ", where the gradient is " + num(g) + ". What is θ after the step? (to 3 decimals)",
        answer: answer,
        solution: "m = 0.1 × " + operand(g) + ", v = 0.001 × " + operand(g) + "²; bias-corrected m̂ = " + num(g) + ", v̂ = " +
          operand(g) + "², so the step is lr × m̂ / (√v̂ + ε) = " + num(lr) + " × sign(g): θ = " + num(answer) + ".",
        mistakes: numberMistakes(answer, [
          [th - lr * g, "That is the SGD step lr × g: Adam divides by the root-mean-square of the gradient, so its first step has size lr whatever g."],
          [th - lr * 0.1 * g / Math.abs(g) / Math.sqrt(0.001), "Forgot the bias correction: m and v start at zero and are divided by 1 − β1 and 1 − β2."],
          [2 * th - answer, "Stepped uphill: Adam moves against the gradient's sign."],
        ], THREE_DECIMALS),
      };
    },
  };

  // --- dropout ---
  G["dropout-scale"] = {
    draw: function (rng) { return { p: pick(rng, [0.1, 0.2, 0.25, 0.4, 0.5, 0.6, 0.75, 0.8, 0.9]), x: rng.int(1, 30) / 10 }; },
    build: function (q) {
      var prob = q.p, x = q.x;
      var answer = x * (1 / (1 - prob));
      return {
        question: "A unit's value is " + num(x) + ". In training mode, nn.Dropout(p=" + num(prob) +
          ") keeps it (it is not dropped). What does the layer output for it? (to 3 decimals)",
        answer: answer,
        solution: "Inverted dropout divides the kept units by 1 − p = " + num(1 - prob) + ": " + num(x) + " / " + num(1 - prob) +
          " = " + fixed(answer, 3) + ", so the expected output (1 − p) × " + fixed(answer, 3) + " + p × 0 equals the input.",
        mistakes: numberMistakes(answer, [
          [x * (1 - prob), "Scaled by 1 − p: that is the original paper's rule at evaluation; inverted dropout divides by 1 − p in training."],
          [x / prob, "Divided by p: the survivors are divided by the keep probability 1 − p."],
          [x, "Forgot the scale 1/(1 − p): the kept units are scaled up in training."],
          [0, "The unit was kept, not dropped."],
        ], THREE_DECIMALS),
      };
    },
  };
})();
