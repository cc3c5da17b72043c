/* A CNN in your browser: the digit network trained by cnnbook, run in plain JavaScript.
 *
 * The build writes the network to assets/network/model.json (the contract of
 * cnnbook.network_json: {"input_shape": [C, H, W], "classes": [...], "layers": [...]},
 * weights flat, row-major, in torch's layouts) and held-out digits to examples.json.
 * This file computes the same forward pass (in float64) and draws every layer.
 * The browser tests (tests/browser/test_network.py) check that every layer's
 * activations equal cnnbook's forward of the same model.
 *
 * API for tests and the curious: window.cnnbookNetwork = {
 *   ready: Promise resolved with the model, forward(pixels) -> {logits, activations,
 *   probabilities}, lastInput (the network's input as last shown), init(scope) }.
 */
(function () {
  "use strict";

  function pair(v) { return Array.isArray(v) ? v : [v, v]; }

  function conv2d(x, shape, L) {
    var C = shape[0], H = shape[1], W = shape[2];
    var k = pair(L.kernel_size), s = pair(L.stride), p = pair(L.padding), d = pair(L.dilation);
    var G = L.groups || 1, O = L.out_channels, cg = C / G, og = O / G;
    var OH = Math.floor((H + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
    var OW = Math.floor((W + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
    var out = new Float64Array(O * OH * OW), w = L.weight, b = L.bias;
    for (var o = 0; o < O; o++) {
      var g = Math.floor(o / og);
      for (var i = 0; i < OH; i++) {
        for (var j = 0; j < OW; j++) {
          var acc = b ? b[o] : 0;
          for (var c = 0; c < cg; c++) {
            var ci = g * cg + c;
            for (var u = 0; u < k[0]; u++) {
              var r = i * s[0] - p[0] + u * d[0];
              if (r < 0 || r >= H) continue;
              for (var v = 0; v < k[1]; v++) {
                var q = j * s[1] - p[1] + v * d[1];
                if (q < 0 || q >= W) continue;
                acc += w[((o * cg + c) * k[0] + u) * k[1] + v] * x[(ci * H + r) * W + q];
              }
            }
          }
          out[(o * OH + i) * OW + j] = acc;
        }
      }
    }
    return [out, [O, OH, OW]];
  }

  function pool2d(x, shape, L, isMax) {
    var C = shape[0], H = shape[1], W = shape[2];
    var k = pair(L.kernel_size), s = pair(L.stride), p = pair(L.padding);
    var d = isMax ? pair(L.dilation) : [1, 1];
    var OH = Math.floor((H + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
    var OW = Math.floor((W + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
    var out = new Float64Array(C * OH * OW);
    for (var c = 0; c < C; c++) {
      for (var i = 0; i < OH; i++) {
        for (var j = 0; j < OW; j++) {
          var acc = isMax ? -Infinity : 0;
          for (var u = 0; u < k[0]; u++) {
            var r = i * s[0] - p[0] + u * d[0];
            for (var v = 0; v < k[1]; v++) {
              var q = j * s[1] - p[1] + v * d[1];
              var inside = r >= 0 && r < H && q >= 0 && q < W;
              var val = inside ? x[(c * H + r) * W + q] : 0;
              if (isMax) { if (inside && (val > acc || val !== val)) acc = val; }
              else acc += val;  // padding counts as zeros (count_include_pad)
            }
          }
          out[(c * OH + i) * OW + j] = isMax ? acc : acc / (k[0] * k[1]);
        }
      }
    }
    return [out, [C, OH, OW]];
  }

  function linear(x, L) {
    var I = L.in_features, O = L.out_features, out = new Float64Array(O);
    for (var o = 0; o < O; o++) {
      var acc = L.bias ? L.bias[o] : 0;
      for (var i = 0; i < I; i++) acc += L.weight[o * I + i] * x[i];
      out[o] = acc;
    }
    return out;
  }

  function map(x, f) { var out = new Float64Array(x.length); for (var i = 0; i < x.length; i++) out[i] = f(x[i]); return out; }

  /* One layer: [output, its shape]. Shapes are [C, H, W] for maps, [n] for vectors. */
  function layer(L, x, shape) {
    switch (L.type) {
      case "Conv2d": return conv2d(x, shape, L);
      case "MaxPool2d": return pool2d(x, shape, L, true);
      case "AvgPool2d": return pool2d(x, shape, L, false);
      case "ReLU": return [map(x, function (a) { return a > 0 ? a : 0; }), shape];
      case "LeakyReLU": return [map(x, function (a) { return a > 0 ? a : a * L.negative_slope; }), shape];
      case "Tanh": return [map(x, Math.tanh), shape];
      case "Sigmoid": return [map(x, function (a) { return 1 / (1 + Math.exp(-a)); }), shape];
      case "Flatten": return [x, [x.length]];
      case "Linear": return [linear(x, L), [L.out_features]];
      case "Dropout": return [x, shape];  // identity in eval mode
      default: throw new Error("model.json: unknown layer type " + L.type);
    }
  }

  function softmax(z) {
    var m = Math.max.apply(null, z), e = z.map(function (a) { return Math.exp(a - m); });
    var sum = e.reduce(function (a, b) { return a + b; }, 0);
    return e.map(function (a) { return a / sum; });
  }

  var api = { model: null, examples: [], lastInput: null, instances: [] };
  var resolveReady;
  api.ready = new Promise(function (resolve) { resolveReady = resolve; });

  api.forward = function (pixels) {
    var model = api.model;
    if (!model) throw new Error("cnnbookNetwork: the model is not loaded yet (await cnnbookNetwork.ready)");
    var n = model.input_shape[0] * model.input_shape[1] * model.input_shape[2];
    if (!pixels || pixels.length !== n) throw new Error("forward: pixels must be " + n + " numbers (C·H·W)");
    var x = Float64Array.from(pixels), shape = model.input_shape.slice(), activations = [], shapes = [];
    model.layers.forEach(function (L) {
      var r = layer(L, x, shape);
      x = r[0]; shape = r[1];
      activations.push(Array.from(x)); shapes.push(shape.slice());
    });
    var logits = Array.from(x);
    return { logits: logits, activations: activations, shapes: shapes, probabilities: softmax(logits) };
  };

  /* ---------- drawing: the digit as scikit-learn's 8×8 digits were made ---------- */
  // The 8×8 digits are 32×32 bitmaps of a digit scaled to fit the box, counted in 4×4
  // blocks. The pad does the same: crop the ink, scale it to fit 32×32 (aspect kept),
  // average 4×4 blocks (values 0..1 = count/16), and place the 8×8 on the 10×10 canvas.
  function padToInput(pad, side) {
    var ctx = pad.getContext("2d", { willReadFrequently: true }), img = ctx.getImageData(0, 0, pad.width, pad.height).data;
    var top = pad.height, left = pad.width, bottom = -1, right = -1;
    for (var r = 0; r < pad.height; r++) for (var c = 0; c < pad.width; c++) {
      if (img[(r * pad.width + c) * 4 + 3] > 0) {
        if (r < top) top = r; if (r > bottom) bottom = r; if (c < left) left = c; if (c > right) right = c;
      }
    }
    var input = new Array(side * side).fill(0);
    if (bottom < 0) return input;
    var h = bottom - top + 1, w = right - left + 1, scale = 32 / Math.max(h, w);
    var box = document.createElement("canvas"); box.width = 32; box.height = 32;
    var bctx = box.getContext("2d", { willReadFrequently: true });
    var dh = h * scale, dw = w * scale;
    bctx.drawImage(pad, left, top, w, h, (32 - dw) / 2, (32 - dh) / 2, dw, dh);
    var small = bctx.getImageData(0, 0, 32, 32).data, off = (side - 8) / 2;
    for (var i = 0; i < 8; i++) for (var j = 0; j < 8; j++) {
      var sum = 0;
      for (var u = 0; u < 4; u++) for (var v = 0; v < 4; v++) sum += small[((4 * i + u) * 32 + 4 * j + v) * 4 + 3] / 255;
      input[(i + off) * side + j + off] = sum / 16;
    }
    return input;
  }

  /* ---------- drawing the layers ---------- */
  function drawMap(canvas, values, h, w, lo, hi) {
    canvas.width = w; canvas.height = h;
    var ctx = canvas.getContext("2d"), img = ctx.createImageData(w, h), span = hi - lo || 1;
    for (var i = 0; i < h * w; i++) {
      var g = Math.round(255 * (1 - Math.min(1, Math.max(0, (values[i] - lo) / span))));
      img.data[4 * i] = g; img.data[4 * i + 1] = g; img.data[4 * i + 2] = g; img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function render(inst, input) {
    var model = api.model, out = api.forward(input);
    api.lastInput = input.slice();
    var side = model.input_shape[1];
    drawMap(inst.seen, input, side, side, 0, 1);
    inst.layers.innerHTML = "";
    out.activations.forEach(function (a, li) {
      var s = out.shapes[li], L = model.layers[li];
      if (s.length !== 3) return;
      var row = el("div", { "class": "cnn-live-layer" });
      row.appendChild(el("p", {}, (li + 1) + ". " + L.type + " → " + s.join("×")));
      var lo = Math.min.apply(null, a), hi = Math.max.apply(null, a);
      for (var c = 0; c < s[0]; c++) {
        var cv = el("canvas", { "class": "cnn-live-map", role: "img",
          "aria-label": L.type + " channel " + (c + 1) + " of " + s[0] });
        drawMap(cv, a.slice(c * s[1] * s[2], (c + 1) * s[1] * s[2]), s[1], s[2], lo, hi);
        row.appendChild(cv);
      }
      inst.layers.appendChild(row);
    });
    var best = out.probabilities.indexOf(Math.max.apply(null, out.probabilities));
    inst.bars.innerHTML = "";
    out.probabilities.forEach(function (p, k) {
      var row = el("div", { "class": "cnn-live-bar" + (k === best ? " cnn-live-best" : "") });
      row.appendChild(el("span", { "class": "cnn-live-class" }, model.classes[k]));
      var track = el("span", { "class": "cnn-live-track" });
      var bar = el("span", { "class": "cnn-live-fill" }); bar.style.width = (100 * p).toFixed(1) + "%";
      track.appendChild(bar); row.appendChild(track);
      row.appendChild(el("span", { "class": "cnn-live-p" }, (100 * p).toFixed(1) + " %"));
      inst.bars.appendChild(row);
    });
    inst.verdict.textContent = "The network says " + model.classes[best] + " (" +
      (100 * out.probabilities[best]).toFixed(1) + " %)." + (inst.note ? " " + inst.note : "");
    inst.root.setAttribute("data-prediction", model.classes[best]);
  }

  function setup(root) {
    root.setAttribute("data-cnn-live-ready", "");
    var base = root.getAttribute("data-base") || "";
    var pad = el("canvas", { "class": "cnn-live-pad", width: "224", height: "224", tabindex: "0",
      role: "img", "aria-label": "Drawing pad: draw a digit with the mouse or a finger; " +
      "with the keyboard, arrow keys move the pen and Space draws" });
    var seen = el("canvas", { "class": "cnn-live-seen", role: "img", "aria-label": "The input as the network sees it" });
    var controls = el("div", { "class": "cnn-live-controls" });
    var clear = el("button", { type: "button" }, "Clear");
    controls.appendChild(clear);
    var verdict = el("p", { "class": "cnn-live-verdict", "aria-live": "polite" });
    var bars = el("div", { "class": "cnn-live-bars" });
    var layers = el("div", { "class": "cnn-live-layers" });
    var top = el("div", { "class": "cnn-live-top" });
    var left = el("div"), right = el("div");
    left.appendChild(pad); left.appendChild(controls);
    right.appendChild(el("p", {}, "What the network sees (10×10):")); right.appendChild(seen);
    top.appendChild(left); top.appendChild(right);
    [top, verdict, bars, el("div", { "class": "cnn-live-examples" }), layers].forEach(function (n) { root.appendChild(n); });
    var inst = { root: root, pad: pad, seen: seen, bars: bars, layers: layers, verdict: verdict, note: "" };
    api.instances.push(inst);

    var ctx = pad.getContext("2d", { willReadFrequently: true });
    ctx.lineWidth = 18; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#000";
    var drawing = false, last = null, pen = [112, 112];
    function point(e) {
      var r = pad.getBoundingClientRect();
      return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
    }
    function stroke(a, b) {
      if (!api.model) return;
      ctx.beginPath(); ctx.moveTo(a[0], a[1]); ctx.lineTo(b[0], b[1]); ctx.stroke();
      inst.note = ""; render(inst, padToInput(pad, api.model.input_shape[1]));
    }
    pad.addEventListener("pointerdown", function (e) { drawing = true; last = point(e); pad.setPointerCapture(e.pointerId); stroke(last, last); e.preventDefault(); });
    pad.addEventListener("pointermove", function (e) { if (!drawing) return; var p = point(e); stroke(last, p); last = p; });
    ["pointerup", "pointercancel"].forEach(function (t) { pad.addEventListener(t, function () { drawing = false; }); });
    pad.addEventListener("keydown", function (e) {
      var step = 8, moves = { ArrowUp: [0, -step], ArrowDown: [0, step], ArrowLeft: [-step, 0], ArrowRight: [step, 0] };
      if (moves[e.key]) {
        var next = [Math.min(216, Math.max(8, pen[0] + moves[e.key][0])), Math.min(216, Math.max(8, pen[1] + moves[e.key][1]))];
        if (e.shiftKey || inst.penDown) stroke(pen, next);
        pen = next; e.preventDefault();
      } else if (e.key === " ") { inst.penDown = !inst.penDown; if (inst.penDown) stroke(pen, pen); e.preventDefault(); }
    });
    clear.addEventListener("click", function () {
      ctx.clearRect(0, 0, pad.width, pad.height); inst.note = "";
      render(inst, new Array(api.model.input_shape[1] * api.model.input_shape[2]).fill(0));
    });

    api.ready.then(function () {
      var box = root.querySelector(".cnn-live-examples");
      box.appendChild(el("p", {}, "Held-out test digits (the last ones are digits the network gets wrong):"));
      api.examples.forEach(function (ex, i) {
        var wrong = ex.prediction !== ex.label;
        var b = el("button", { type: "button", "class": wrong ? "cnn-live-wrong" : "",
          "data-example": String(i) }, ex.label + (wrong ? " ✗" : ""));
        b.addEventListener("click", function () {
          ctx.clearRect(0, 0, pad.width, pad.height);
          inst.note = "This test digit is labelled " + ex.label + ".";
          render(inst, ex.pixels);
        });
        box.appendChild(b);
      });
      render(inst, api.examples.length ? api.examples[0].pixels : new Array(100).fill(0));
      root.setAttribute("data-cnn-live-loaded", "");
    });
    if (!api.loading) {
      api.loading = Promise.all([base + "model.json", base + "examples.json"].map(function (u) {
        return fetch(u).then(function (r) { if (!r.ok) throw new Error(r.status + " " + u); return r.json(); });
      })).then(function (both) { api.model = both[0]; api.examples = both[1]; resolveReady(api.model); })
        .catch(function (err) { verdict.textContent = "The network could not be loaded: " + err.message; });
    }
  }

  api.init = function (scope) {
    var nodes = (scope || document).querySelectorAll(".cnn-live:not([data-cnn-live-ready])");
    Array.prototype.forEach.call(nodes, setup);
  };
  window.cnnbookNetwork = api;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { api.init(); });
  } else {
    document.addEventListener("DOMContentLoaded", function () { api.init(); });
  }
})();
