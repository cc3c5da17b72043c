/*
 * cnnbook Convolution Explorer: plain JavaScript, no framework, no network.
 *
 * EMBED SNIPPET (any Markdown page; raw HTML passes through Markdown as is):
 *
 *   <div class="cnn-explorer" data-mode="conv" data-compact
 *        data-input="5x5" data-kernel="3x3" data-padding="same"
 *        data-stride="1" data-dilation="1"></div>
 *
 * Every data-* attribute is optional:
 *   data-mode      conv | maxpool | avgpool | transposed      (default conv)
 *   data-compact   present: smaller cells, no channel/seed controls, code folded
 *   data-input     "H" or "HxW"                               (default 5x5)
 *   data-kernel    "k" or "KHxKW"                             (default 3x3)
 *   data-padding   valid | same | full | "p" | "top,bottom,left,right" (default valid)
 *   data-stride    "s" or "sh,sw"                             (default 1)
 *   data-dilation  "d" or "dh,dw"                             (default 1)
 *   data-channels  "in,out" or "in,out,groups"                (default 1,1,1)
 *   data-seed      integer seed of the values                 (default 0)
 *   data-output-padding  "op" or "oph,opw" (transposed mode)  (default 0)
 * The page must load this file and explorer.css (mkdocs.yml extra_javascript /
 * extra_css). Widgets initialise on load and after Material's instant navigation.
 *
 * VALUES: integers from mulberry32 streams (see `values` below), so a test can
 * regenerate them: x from mulberry32(seed*4+1) in [-5, 5], weight from
 * mulberry32(seed*4+2) in [-2, 2], bias from mulberry32(seed*4+3) in [-2, 2],
 * each drawn in C order (row-major) of its NCHW / torch weight shape.
 *
 * API for tests and the curious: window.cnnExplorer = {instances, init, mulberry32}.
 * Each instance has .config() (the parsed settings, or null when invalid) and
 * .values() ({x, weight, bias} as nested arrays).
 */
(function () {
  "use strict";

  var LIMITS = { size: 24, kernel: 9, padding: 9, stride: 6, dilation: 6, channels: 4, outpad: 5 };
  var MINUS = "\u2212";
  var MODES = {
    conv: "Convolution",
    maxpool: "Max pooling",
    avgpool: "Average pooling",
    transposed: "Transposed convolution",
  };

  function mulberry32(a) {
    return function () {
      a |= 0;
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  function draw(seed, n, lo, hi) {
    var r = mulberry32(seed);
    var out = new Array(n);
    for (var i = 0; i < n; i++) out[i] = lo + Math.floor(r() * (hi - lo + 1));
    return out;
  }

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        if (!Object.prototype.hasOwnProperty.call(attrs, k) || attrs[k] === null) continue;
        if (k === "text") e.textContent = attrs[k];
        else if (k === "class") e.className = attrs[k];
        else e.setAttribute(k, attrs[k]);
      }
    }
    (children || []).forEach(function (c) {
      if (c !== null && c !== undefined) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }

  function num(v) {
    // Exact integers as such; averages rounded for display (data-value keeps all digits).
    if (v === -Infinity) return "-\u221e";
    if (Number.isInteger(v)) return String(v);
    return String(Math.round(v * 1000) / 1000);
  }

  function signed(v) {
    var s = num(v).replace("-", MINUS);
    return v < 0 ? "(" + s + ")" : s;
  }

  function pairAttr(s, fallback) {
    if (!s) return fallback;
    var p = s.split(/[x,]/).map(function (t) { return t.trim(); });
    return p.length === 1 ? [p[0], p[0]] : [p[0], p[1]];
  }

  function tuple(a, b) {
    return "(" + a + ", " + b + ")";
  }

  var uid = 0;

  function Explorer(root) {
    this.root = root;
    this.id = "cnnx" + ++uid;
    this.compact = root.hasAttribute("data-compact");
    this.hTag = "h" + headingLevel(root);
    this.t = 0;
    this.pinned = false;
    this.timer = null;
    this.cfg = null;
    this.build();
    this.update();
  }

  // Headings one level below the page's heading before the widget (h2 on a page whose
  // last heading is its h1), so the outline has no skipped level (WCAG 1.3.1).
  function headingLevel(root) {
    var level = 1;
    Array.prototype.forEach.call(document.querySelectorAll("h1, h2, h3, h4, h5"), function (h) {
      if (root.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_PRECEDING) level = +h.tagName[1];
    });
    return Math.min(6, level + 1);
  }

  Explorer.prototype.heading = function (text) {
    return el(this.hTag, { class: "cnnx-h", text: text });
  };

  Explorer.prototype.field = function (name, label, value, min, max, group) {
    var id = this.id + "-" + name;
    var input = el("input", {
      id: id, type: "number", inputmode: "numeric", step: "1", min: String(min), max: String(max),
      value: String(value), "data-field": name, class: "cnnx-num",
    });
    var wrap = el("span", { class: "cnnx-field" }, [el("label", { for: id, text: label }), input]);
    this.inputs[name] = input;
    (group || this.currentGroup).appendChild(wrap);
    return input;
  };

  Explorer.prototype.fieldset = function (legend, cls) {
    var fs = el("fieldset", { class: "cnnx-fs " + (cls || "") }, [el("legend", { text: legend })]);
    this.form.appendChild(fs);
    this.currentGroup = fs;
    return fs;
  };

  Explorer.prototype.build = function () {
    var r = this.root;
    var self = this;
    var d = function (name, fb) { return pairAttr(r.getAttribute("data-" + name), fb); };
    var inp = d("input", ["5", "5"]);
    var ker = d("kernel", ["3", "3"]);
    var str = d("stride", ["1", "1"]);
    var dil = d("dilation", ["1", "1"]);
    var opd = d("output-padding", ["0", "0"]);
    var ch = (r.getAttribute("data-channels") || "1,1").split(",").map(function (t) { return t.trim(); });
    var padAttr = (r.getAttribute("data-padding") || "valid").trim();
    var mode = r.getAttribute("data-mode") || "conv";
    if (!MODES[mode]) mode = "conv";

    r.textContent = "";
    r.classList.add("cnnx");
    if (this.compact) r.classList.add("cnnx-compact");
    this.inputs = {};
    this.form = el("form", { class: "cnnx-controls", "aria-label": "Explorer settings" });
    this.form.addEventListener("submit", function (e) { e.preventDefault(); });

    this.fieldset("Layer", "cnnx-fs-layer");
    var modeSel = el("select", { id: this.id + "-mode", "data-field": "mode" });
    Object.keys(MODES).forEach(function (m) {
      modeSel.appendChild(el("option", { value: m, text: MODES[m] }));
    });
    modeSel.value = mode;
    this.inputs.mode = modeSel;
    this.currentGroup.appendChild(el("span", { class: "cnnx-field" }, [
      el("label", { for: modeSel.id, text: "mode" }), modeSel]));
    if (!this.compact) {
      this.field("seed", "seed", r.getAttribute("data-seed") || "0", 0, 2147483647);
      var biasId = this.id + "-bias";
      var bias = el("input", { id: biasId, type: "checkbox", "data-field": "bias", checked: "" });
      this.inputs.bias = bias;
      this.currentGroup.appendChild(el("span", { class: "cnnx-field" }, [
        el("label", { for: biasId, text: "bias" }), bias]));
    }

    this.fieldset("Input", "cnnx-fs-input");
    this.field("H", "height H", inp[0], 1, LIMITS.size);
    this.field("W", "width W", inp[1], 1, LIMITS.size);
    this.fieldset("Kernel", "cnnx-fs-kernel");
    this.field("kh", "height", ker[0], 1, LIMITS.kernel);
    this.field("kw", "width", ker[1], 1, LIMITS.kernel);

    var pfs = this.fieldset("Padding", "cnnx-fs-padding");
    var preset = el("select", { id: this.id + "-preset", "data-field": "preset" });
    [["custom", "per side"], ["valid", "valid"], ["same", "same"], ["full", "full"]].forEach(function (o) {
      preset.appendChild(el("option", { value: o[0], text: o[1] }));
    });
    this.inputs.preset = preset;
    pfs.appendChild(el("span", { class: "cnnx-field" }, [el("label", { for: preset.id, text: "preset" }), preset]));
    var pads = ["0", "0", "0", "0"];
    if (/^(valid|same|full)$/.test(padAttr)) preset.value = padAttr;
    else {
      var pp = padAttr.split(",").map(function (t) { return t.trim(); });
      pads = pp.length === 4 ? pp : [pp[0], pp[0], pp[pp.length - 1], pp[pp.length - 1]];
      if (pp.length === 2) pads = [pp[0], pp[0], pp[1], pp[1]];
      preset.value = "custom";
    }
    this.field("pt", "top", pads[0], 0, LIMITS.padding);
    this.field("pb", "bottom", pads[1], 0, LIMITS.padding);
    this.field("pl", "left", pads[2], 0, LIMITS.padding);
    this.field("pr", "right", pads[3], 0, LIMITS.padding);

    this.fieldset("Stride", "cnnx-fs-stride");
    this.field("sh", "rows", str[0], 1, LIMITS.stride);
    this.field("sw", "cols", str[1], 1, LIMITS.stride);
    this.fieldset("Dilation", "cnnx-fs-dilation");
    this.field("dh", "rows", dil[0], 1, LIMITS.dilation);
    this.field("dw", "cols", dil[1], 1, LIMITS.dilation);
    this.opFs = this.fieldset("Output padding", "cnnx-fs-outpad");
    this.field("oph", "rows", opd[0], 0, LIMITS.outpad);
    this.field("opw", "cols", opd[1], 0, LIMITS.outpad);
    var chFs = this.fieldset("Channels", "cnnx-fs-channels");
    this.field("cin", "in", ch[0] || "1", 1, LIMITS.channels);
    this.field("cout", "out", ch[1] || "1", 1, LIMITS.channels);
    this.field("groups", "groups", ch[2] || "1", 1, LIMITS.channels);
    if (this.compact) chFs.hidden = true;

    this.form.addEventListener("input", function (e) {
      var f = e.target.getAttribute("data-field");
      if (/^p[tblr]$/.test(f)) preset.value = "custom";
      self.update();
    });
    this.form.addEventListener("change", function (e) {
      if (e.target === modeSel || e.target === preset || e.target.type === "checkbox") self.update();
    });

    this.status = el("div", { class: "cnnx-status", role: "status", "aria-live": "polite" });

    var btn = function (cls, label, text) {
      return el("button", { type: "button", class: "cnnx-btn " + cls, "aria-label": label, text: text });
    };
    this.bBack = btn("cnnx-back", "step back", "\u25c0 back");
    this.bPlay = btn("cnnx-play", "play", "\u25b6 play");
    this.bStep = btn("cnnx-step", "step forward", "step \u25b6");
    this.scrub = el("input", { type: "range", min: "0", max: "0", value: "0", step: "1",
      class: "cnnx-scrub", id: this.id + "-scrub", "aria-label": "timestep" });
    this.stepLabel = el("output", { class: "cnnx-steplabel", for: this.scrub.id });
    this.player = el("div", { class: "cnnx-player", role: "group", "aria-label": "animation" },
      [this.bBack, this.bPlay, this.bStep, this.scrub, this.stepLabel]);
    this.bBack.addEventListener("click", function () { self.pause(); self.go(self.t - 1, false); });
    this.bStep.addEventListener("click", function () { self.pause(); self.go(self.t + 1, false); });
    this.bPlay.addEventListener("click", function () { self.timer ? self.pause() : self.play(); });
    this.scrub.addEventListener("input", function () { self.pause(); self.go(+self.scrub.value, false); });

    this.views = el("div", { class: "cnnx-views" });
    this.formula = el("div", { class: "cnnx-formula", "aria-live": "polite" });
    this.size = el("div", { class: "cnnx-size" });
    this.params = el("div", { class: "cnnx-params" });
    this.code = el("details", { class: "cnnx-code" });
    if (!this.compact) this.code.open = true;

    [this.form, this.status, this.player, this.views, this.formula, this.size, this.params, this.code]
      .forEach(function (n) { r.appendChild(n); });
  };

  Explorer.prototype.readInt = function (name, label, min, max, errors) {
    var input = this.inputs[name];
    var raw = input.value.trim();
    var bad = null;
    var v = NaN;
    if (raw === "" || (input.validity && input.validity.badInput)) bad = label + " is empty or not a number: enter a whole number.";
    else if (!/^[+-]?\d+$/.test(raw)) bad = label + " (= " + raw + ") must be a whole number: sizes count cells.";
    else {
      v = parseInt(raw, 10);
      if (v < min) {
        if (min === 1 && /stride/.test(label)) bad = label + " (= " + v + ") must be at least 1: a stride of " + v + " never moves the kernel (torch: \"non-positive stride is not supported\").";
        else if (min === 0) bad = label + " (= " + v + ") must be 0 or more (torch: \"negative padding is not supported\").";
        else bad = label + " (= " + v + ") must be at least " + min + ".";
      } else if (v > max) bad = label + " (= " + v + ") is above this explorer's limit of " + max + " (torch allows it; the grids would not fit).";
    }
    input.setAttribute("aria-invalid", bad ? "true" : "false");
    if (bad) errors.push(bad);
    return v;
  };

  Explorer.prototype.readConfig = function () {
    var errors = [];
    var ri = this.readInt.bind(this);
    var mode = this.inputs.mode.value;
    var c = { mode: mode, errors: errors };
    c.seed = this.inputs.seed ? ri("seed", "seed", 0, 2147483647, errors) : parseInt(this.root.getAttribute("data-seed") || "0", 10) || 0;
    c.bias = mode !== "maxpool" && mode !== "avgpool" && (this.inputs.bias ? this.inputs.bias.checked : true);
    c.H = ri("H", "input height H", 1, LIMITS.size, errors);
    c.W = ri("W", "input width W", 1, LIMITS.size, errors);
    c.kh = ri("kh", "kernel height", 1, LIMITS.kernel, errors);
    c.kw = ri("kw", "kernel width", 1, LIMITS.kernel, errors);
    c.sh = ri("sh", "stride (rows)", 1, LIMITS.stride, errors);
    c.sw = ri("sw", "stride (cols)", 1, LIMITS.stride, errors);
    c.dh = ri("dh", "dilation (rows)", 1, LIMITS.dilation, errors);
    c.dw = ri("dw", "dilation (cols)", 1, LIMITS.dilation, errors);
    var pool = mode === "maxpool" || mode === "avgpool";
    this.opFs.hidden = mode !== "transposed";
    this.inputs.groups.parentNode.hidden = pool;
    this.inputs.cout.parentNode.hidden = pool;
    if (this.inputs.bias) this.inputs.bias.parentNode.hidden = pool;
    c.oph = mode === "transposed" ? ri("oph", "output padding (rows)", 0, LIMITS.outpad, errors) : 0;
    c.opw = mode === "transposed" ? ri("opw", "output padding (cols)", 0, LIMITS.outpad, errors) : 0;
    c.cin = ri("cin", "in channels", 1, LIMITS.channels, errors);
    c.cout = pool ? c.cin : ri("cout", "out channels", 1, LIMITS.channels, errors);
    c.groups = pool ? 1 : ri("groups", "groups", 1, LIMITS.channels, errors);

    // Presets fill the per-side boxes from the current kernel and dilation.
    var preset = this.inputs.preset.value;
    c.preset = preset;
    if (preset !== "custom" && !isNaN(c.kh + c.kw + c.dh + c.dw)) {
      var tot = { h: c.dh * (c.kh - 1), w: c.dw * (c.kw - 1) };
      var sides = { valid: [0, 0, 0, 0], full: [tot.h, tot.h, tot.w, tot.w],
        same: [tot.h >> 1, tot.h - (tot.h >> 1), tot.w >> 1, tot.w - (tot.w >> 1)] }[preset];
      var names = ["pt", "pb", "pl", "pr"];
      for (var i = 0; i < 4; i++) this.inputs[names[i]].value = String(sides[i]);
    }
    c.pt = ri("pt", "padding top", 0, LIMITS.padding, errors);
    c.pb = ri("pb", "padding bottom", 0, LIMITS.padding, errors);
    c.pl = ri("pl", "padding left", 0, LIMITS.padding, errors);
    c.pr = ri("pr", "padding right", 0, LIMITS.padding, errors);
    if (errors.length) return c;
    var self = this;
    var flag = function () {
      for (var a = 0; a < arguments.length; a++) self.inputs[arguments[a]].setAttribute("aria-invalid", "true");
    };

    if (!pool) {
      if (c.cin % c.groups) { flag("groups", "cin"); errors.push("groups (= " + c.groups + ") must divide in channels (= " + c.cin + "): each group reads in/groups channels (torch: \"in_channels must be divisible by groups\")."); }
      if (c.cout % c.groups) { flag("groups", "cout"); errors.push("groups (= " + c.groups + ") must divide out channels (= " + c.cout + ") (torch: \"out_channels must be divisible by groups\")."); }
    }
    if (pool) {
      var lim = function (p, k, side) {
        if (p > (k >> 1)) flag({ top: "pt", bottom: "pb", left: "pl", right: "pr" }[side]);
        if (p > (k >> 1)) errors.push("padding " + side + " (= " + p + ") is more than half the kernel (\u230a" + k + "/2\u230b = " + (k >> 1) + "): a window could hold only padding, so torch refuses (\"pad should be at most half of effective kernel size\").");
      };
      lim(c.pt, c.kh, "top"); lim(c.pb, c.kh, "bottom"); lim(c.pl, c.kw, "left"); lim(c.pr, c.kw, "right");
      if (mode === "avgpool" && (c.dh !== 1 || c.dw !== 1)) flag(c.dh !== 1 ? "dh" : "dw");
      if (mode === "avgpool" && (c.dh !== 1 || c.dw !== 1)) errors.push("average pooling has no dilation in torch (avg_pool2d takes none): set dilation to 1.");
    }
    if (mode === "transposed") {
      if (c.oph >= c.sh || c.opw >= c.sw) flag(c.oph >= c.sh ? "oph" : "opw");
      if (c.oph >= Math.max(c.sh, c.dh) || c.opw >= Math.max(c.sw, c.dw)) { errors.push("output padding (= " + tuple(c.oph, c.opw) + ") must be smaller than the stride or the dilation (torch: \"output padding must be smaller than either stride or dilation\")."); }
      else if (c.oph >= c.sh || c.opw >= c.sw) errors.push("output padding (= " + tuple(c.oph, c.opw) + ") must be smaller than the stride (= " + tuple(c.sh, c.sw) + ") here: torch also accepts it below the dilation, but then no conv2d maps the output back to the input's size, so cnnbook's conv2d_backward cannot reproduce it.");
      c.OH = (c.H - 1) * c.sh - c.pt - c.pb + c.dh * (c.kh - 1) + c.oph + 1;
      c.OW = (c.W - 1) * c.sw - c.pl - c.pr + c.dw * (c.kw - 1) + c.opw + 1;
      if (c.OH < 1 || c.OW < 1) flag("pt", "pb", "pl", "pr");
      if (c.OH < 1 || c.OW < 1) errors.push("the padding crops away the whole output (output size " + c.OH + " \u00d7 " + c.OW + "): in a transposed convolution padding removes cells, so use less padding.");
    } else {
      var eh = c.dh * (c.kh - 1) + 1, ew = c.dw * (c.kw - 1) + 1;
      var ph = c.H + c.pt + c.pb, pw = c.W + c.pl + c.pr;
      if (eh > ph) flag("kh");
      if (ew > pw) flag("kw");
      if (eh > ph) errors.push("the kernel spans " + eh + " rows (d(k\u22121)+1 = " + c.dh + "\u00b7" + (c.kh - 1) + "+1) but the padded input has only " + ph + " (H + top + bottom = " + c.H + "+" + c.pt + "+" + c.pb + "): no position fits, torch: \"Kernel size can't be greater than actual input size\". Add padding or shrink the kernel.");
      if (ew > pw) errors.push("the kernel spans " + ew + " columns (d(k\u22121)+1 = " + c.dw + "\u00b7" + (c.kw - 1) + "+1) but the padded input has only " + pw + " (W + left + right = " + c.W + "+" + c.pl + "+" + c.pr + "): no position fits, torch: \"Kernel size can't be greater than actual input size\". Add padding or shrink the kernel.");
      c.OH = Math.floor((ph - eh) / c.sh) + 1;
      c.OW = Math.floor((pw - ew) / c.sw) + 1;
    }
    return c;
  };

  Explorer.prototype.rawValues = function () {
    var c = this.cfg;
    if (!c) return null;
    var pool = c.mode === "maxpool" || c.mode === "avgpool";
    var x = draw(c.seed * 4 + 1, c.cin * c.H * c.W, -5, 5);
    var wshape = c.mode === "transposed" ? [c.cin, c.cout / c.groups, c.kh, c.kw] : [c.cout, c.cin / c.groups, c.kh, c.kw];
    var w = pool ? [] : draw(c.seed * 4 + 2, wshape[0] * wshape[1] * c.kh * c.kw, -2, 2);
    var b = c.bias ? draw(c.seed * 4 + 3, c.cout, -2, 2) : null;
    return { x: x, w: w, b: b, wshape: wshape, pool: pool };
  };

  // The taps one output cell reads: input cell (c, iy, ix) times weight index wi.
  Explorer.prototype.taps = function (o, y, xo) {
    var c = this.cfg, out = [];
    var cpg = c.cin / c.groups, opg = c.cout / c.groups;
    var g = Math.floor(o / opg), i, j, cc, iy, ix;
    if (c.mode === "maxpool" || c.mode === "avgpool") {
      for (i = 0; i < c.kh; i++) for (j = 0; j < c.kw; j++) {
        iy = y * c.sh - c.pt + i * c.dh; ix = xo * c.sw - c.pl + j * c.dw;
        out.push({ c: o, iy: iy, ix: ix, i: i, j: j, wi: -1, inside: iy >= 0 && iy < c.H && ix >= 0 && ix < c.W });
      }
    } else if (c.mode === "conv") {
      for (cc = 0; cc < cpg; cc++) for (i = 0; i < c.kh; i++) for (j = 0; j < c.kw; j++) {
        iy = y * c.sh - c.pt + i * c.dh; ix = xo * c.sw - c.pl + j * c.dw;
        out.push({ c: g * cpg + cc, iy: iy, ix: ix, i: i, j: j, wc: cc,
          wi: ((o * cpg + cc) * c.kh + i) * c.kw + j, inside: iy >= 0 && iy < c.H && ix >= 0 && ix < c.W });
      }
    } else {
      // Transposed: input (iy, ix) scatters its kernel to rows iy*s + i*d - pt of the output.
      var ol = o - g * opg;
      for (cc = 0; cc < cpg; cc++) for (i = 0; i < c.kh; i++) for (j = 0; j < c.kw; j++) {
        var ny = y + c.pt - i * c.dh, nx = xo + c.pl - j * c.dw;
        if (ny < 0 || nx < 0 || ny % c.sh || nx % c.sw) continue;
        iy = ny / c.sh; ix = nx / c.sw;
        if (iy >= c.H || ix >= c.W) continue;
        var ci = g * cpg + cc;
        out.push({ c: ci, iy: iy, ix: ix, i: i, j: j, wc: ci, wo: ol,
          wi: ((ci * opg + ol) * c.kh + i) * c.kw + j, inside: true });
      }
    }
    return out;
  };

  Explorer.prototype.compute = function () {
    var c = this.cfg, v = this.vals, out = [];
    for (var o = 0; o < c.cout; o++) {
      var plane = [];
      for (var y = 0; y < c.OH; y++) {
        var row = [];
        for (var xo = 0; xo < c.OW; xo++) {
          var taps = this.taps(o, y, xo), s, k;
          if (c.mode === "maxpool") {
            s = -Infinity;
            for (k = 0; k < taps.length; k++) if (taps[k].inside) s = Math.max(s, v.x[(taps[k].c * c.H + taps[k].iy) * c.W + taps[k].ix]);
          } else if (c.mode === "avgpool") {
            s = 0;
            for (k = 0; k < taps.length; k++) if (taps[k].inside) s += v.x[(taps[k].c * c.H + taps[k].iy) * c.W + taps[k].ix];
            s = s / (c.kh * c.kw);
          } else {
            s = v.b ? v.b[o] : 0;
            for (k = 0; k < taps.length; k++) if (taps[k].inside) s += v.x[(taps[k].c * c.H + taps[k].iy) * c.W + taps[k].ix] * v.w[taps[k].wi];
          }
          row.push(s);
        }
        plane.push(row);
      }
      out.push(plane);
    }
    return out;
  };

  Explorer.prototype.update = function () {
    var c = this.readConfig();
    this.pause();
    this.status.textContent = "";
    this.root.classList.toggle("cnnx-invalid", c.errors.length > 0);
    if (c.errors.length) {
      this.cfg = null;
      var box = el("div", { class: "cnnx-error", role: "alert" }, [
        el("strong", { text: "These settings have no output: " }),
        el("ul", null, c.errors.map(function (m) { return el("li", { text: m }); })),
      ]);
      this.status.appendChild(box);
      this.player.hidden = true;
      this.views.textContent = "";
      this.formula.textContent = "";
      this.params.textContent = "";
      this.code.textContent = "";
      this.renderSize(c);
      return;
    }
    this.player.hidden = false;
    this.cfg = c;
    this.lastGood = c;
    this.vals = this.rawValues();
    this.out = this.compute();
    this.n = c.cout * c.OH * c.OW;
    this.t = Math.min(this.t, this.n - 1);
    this.pinned = false;
    this.scrub.max = String(this.n - 1);
    this.renderGrids();
    this.renderSize(c);
    this.renderParams();
    this.renderCode();
    this.go(this.t, false);
  };

  Explorer.prototype.table = function (caption, rows, cols, cls, cell) {
    var tbl = el("table", { class: "cnnx-grid " + cls });
    tbl.appendChild(el("caption", { text: caption }));
    var body = el("tbody");
    for (var i = 0; i < rows; i++) {
      var tr = el("tr");
      for (var j = 0; j < cols; j++) tr.appendChild(cell(i, j));
      body.appendChild(tr);
    }
    tbl.appendChild(body);
    return tbl;
  };

  Explorer.prototype.renderGrids = function () {
    var c = this.cfg, v = this.vals, self = this;
    var trans = c.mode === "transposed", pool = c.mode === "maxpool" || c.mode === "avgpool";
    this.views.textContent = "";
    this.inCells = [];
    var pt = trans ? 0 : c.pt, pb = trans ? 0 : c.pb, pl = trans ? 0 : c.pl, pr = trans ? 0 : c.pr;
    var padText = c.mode === "maxpool" ? "-\u221e" : "0";
    var inBox = el("div", { class: "cnnx-panel cnnx-panel-input" }, [self.heading("Input x" + (trans ? "" : " (padded)"))]);
    for (var ch = 0; ch < c.cin; ch++) {
      var map = {};
      (function (ch, map) {
        var t = self.table("x[0, " + ch + "]  " + c.H + "\u00d7" + c.W, c.H + pt + pb, c.W + pl + pr, "cnnx-in", function (i, j) {
          var iy = i - pt, ix = j - pl, pad = iy < 0 || iy >= c.H || ix < 0 || ix >= c.W;
          var td = el("td", { "data-c": ch, "data-row": iy, "data-col": ix, class: pad ? "cnnx-pad" : null,
            text: pad ? padText : num(v.x[(ch * c.H + iy) * c.W + ix]) });
          if (!pad) td.setAttribute("data-value", String(v.x[(ch * c.H + iy) * c.W + ix]));
          map[iy + "," + ix] = td;
          return td;
        });
        inBox.appendChild(el("div", { class: "cnnx-scroll" }, [t]));
      })(ch, map);
      this.inCells.push(map);
    }
    this.kBox = el("div", { class: "cnnx-panel cnnx-panel-kernel" });
    var outBox = el("div", { class: "cnnx-panel cnnx-panel-output" }, [self.heading("Output y")]);
    this.outCells = [];
    for (var o = 0; o < c.cout; o++) {
      (function (o) {
        var t = self.table("y[0, " + o + "]  " + c.OH + "\u00d7" + c.OW, c.OH, c.OW, "cnnx-out", function (i, j) {
          var val = self.out[o][i][j];
          var td = el("td", { "data-c": o, "data-row": i, "data-col": j, "data-value": String(val),
            "data-t": (o * c.OH + i) * c.OW + j, tabindex: "-1", "aria-selected": "false",
            "aria-label": "y[0, " + o + ", " + i + ", " + j + "] = " + num(val) + "; Enter pins it", text: num(val) });
          self.outCells.push(td);
          return td;
        });
        t.setAttribute("role", "grid");
        t.setAttribute("aria-label", "output channel " + o + ": arrow keys move, Enter or Space pins a cell");
        outBox.appendChild(el("div", { class: "cnnx-scroll" }, [t]));
      })(o);
    }
    this.views.appendChild(inBox);
    this.views.appendChild(this.kBox);
    this.views.appendChild(outBox);
    outBox.addEventListener("click", function (e) {
      var td = e.target.closest("td[data-t]");
      if (td) self.pin(+td.getAttribute("data-t"));
    });
    outBox.addEventListener("keydown", function (e) {
      var td = e.target.closest("td[data-t]");
      if (!td) return;
      var t = +td.getAttribute("data-t"), per = c.OH * c.OW, o = Math.floor(t / per), r = t % per;
      var y = Math.floor(r / c.OW), x = r % c.OW, next = null;
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); self.pin(t); return; }
      if (e.key === "ArrowRight") next = x + 1 < c.OW ? t + 1 : null;
      else if (e.key === "ArrowLeft") next = x > 0 ? t - 1 : null;
      else if (e.key === "ArrowDown") next = y + 1 < c.OH ? t + c.OW : (o + 1 < c.cout ? (o + 1) * per + x : null);
      else if (e.key === "ArrowUp") next = y > 0 ? t - c.OW : (o > 0 ? (o - 1) * per + (c.OH - 1) * c.OW + x : null);
      else if (e.key === "Home") next = o * per;
      else if (e.key === "End") next = o * per + per - 1;
      else return;
      e.preventDefault();
      if (next !== null) { self.pause(); self.go(next, true); }
    });
  };

  Explorer.prototype.renderKernel = function (o) {
    var c = this.cfg, v = this.vals, self = this;
    this.kBox.textContent = "";
    this.kCells = {};
    if (c.mode === "maxpool" || c.mode === "avgpool") {
      this.kBox.appendChild(this.heading("Window"));
      var t = this.table((c.mode === "maxpool" ? "max" : "mean") + " over " + c.kh + "\u00d7" + c.kw + (c.dh > 1 || c.dw > 1 ? ", dilation " + tuple(c.dh, c.dw) : ""),
        c.kh, c.kw, "cnnx-k", function () { return el("td", { text: c.mode === "maxpool" ? "max" : "1/" + c.kh * c.kw }); });
      this.kBox.appendChild(el("div", { class: "cnnx-scroll" }, [t]));
      return;
    }
    var opg = c.cout / c.groups, cpg = c.cin / c.groups, g = Math.floor(o / opg);
    this.kBox.appendChild(this.heading("Kernel for y[0, " + o + "]" + (v.b ? ", bias b[" + o + "] = " + num(v.b[o]) : "")));
    for (var cc = 0; cc < cpg; cc++) {
      var ci = g * cpg + cc, base, cap;
      if (c.mode === "transposed") { base = (ci * opg + (o - g * opg)) * c.kh * c.kw; cap = "w[" + ci + ", " + (o - g * opg) + "]"; }
      else { base = (o * cpg + cc) * c.kh * c.kw; cap = "w[" + o + ", " + cc + "] (reads x[0, " + ci + "])"; }
      (function (base, ci) {
        var t = self.table(cap, c.kh, c.kw, "cnnx-k", function (i, j) {
          var td = el("td", { "data-row": i, "data-col": j, text: num(v.w[base + i * c.kw + j]) });
          self.kCells[ci + "," + i + "," + j] = td;
          return td;
        });
        self.kBox.appendChild(el("div", { class: "cnnx-scroll" }, [t]));
      })(base, ci);
    }
  };

  Explorer.prototype.pin = function (t) {
    this.pause();
    if (this.pinned && this.t === t) { this.pinned = false; this.go(t, true); return; }
    this.pinned = true;
    this.go(t, true);
  };

  Explorer.prototype.go = function (t, focus) {
    var c = this.cfg;
    if (!c) return;
    t = ((t % this.n) + this.n) % this.n;
    var prevO = this.curO;
    this.t = t;
    var per = c.OH * c.OW, o = Math.floor(t / per), r = t % per, y = Math.floor(r / c.OW), x = r % c.OW;
    this.curO = o;
    if (prevO !== o || !this.kCells || this.kBox.childNodes.length === 0) this.renderKernel(o);
    this.scrub.value = String(t);
    this.stepLabel.textContent = "step " + (t + 1) + " of " + this.n + ": y[0, " + o + ", " + y + ", " + x + "]";
    var self = this;
    (this.marked || []).forEach(function (n) { n.classList.remove("cnnx-tap", "cnnx-read", "cnnx-current", "cnnx-pinned", "cnnx-ktap"); });
    this.marked = [];
    this.outCells.forEach(function (td) {
      var on = +td.getAttribute("data-t") === t;
      td.tabIndex = on ? 0 : -1;
      td.setAttribute("aria-selected", on && self.pinned ? "true" : "false");
    });
    var cur = this.outCells[t];
    cur.classList.add("cnnx-current");
    if (this.pinned) cur.classList.add("cnnx-pinned");
    this.marked.push(cur);
    var taps = this.taps(o, y, x);
    taps.forEach(function (tp) {
      var cell = self.inCells[tp.c][tp.iy + "," + tp.ix];
      if (cell) {
        cell.classList.add("cnnx-tap");
        if (tp.inside) cell.classList.add("cnnx-read");
        self.marked.push(cell);
      }
      var kc = self.kCells[(c.mode === "transposed" ? tp.wc : tp.c) + "," + tp.i + "," + tp.j];
      if (kc) { kc.classList.add("cnnx-ktap"); self.marked.push(kc); }
    });
    if (focus) cur.focus();
    this.renderFormula(o, y, x, taps);
  };

  Explorer.prototype.renderFormula = function (o, y, x, taps) {
    var c = this.cfg, v = this.vals, val = this.out[o][y][x];
    var f = this.formula;
    f.textContent = "";
    var head = "y[0, " + o + ", " + y + ", " + x + "]";
    var inside = taps.filter(function (tp) { return tp.inside; });
    var padN = taps.length - inside.length;
    var xs = function (tp) { return v.x[(tp.c * c.H + tp.iy) * c.W + tp.ix]; };
    var sym, nums;
    if (c.mode === "maxpool" || c.mode === "avgpool") {
      var what = c.mode === "maxpool" ? "max" : "(1/" + c.kh * c.kw + ")\u00b7sum";
      sym = head + " = " + what + " of x[0, " + o + ", " + y + "\u00b7" + c.sh + MINUS + c.pt + "+i\u00b7" + c.dh + ", " + x + "\u00b7" + c.sw + MINUS + c.pl + "+j\u00b7" + c.dw + "]";
      nums = c.mode === "maxpool"
        ? "max(" + inside.map(function (tp) { return signed(xs(tp)); }).join(", ") + ") = " + signed(val)
        : "(" + inside.map(function (tp) { return signed(xs(tp)); }).join(" + ") + ") / " + c.kh * c.kw + " = " + num(val).replace("-", MINUS);
    } else {
      var prods = inside.map(function (tp) { return signed(xs(tp)) + "\u00b7" + signed(v.w[tp.wi]); });
      if (v.b) prods.unshift(signed(v.b[o]));
      sym = c.mode === "conv"
        ? head + " = " + (v.b ? "b[" + o + "] + " : "") + "\u03a3 x[0, c, " + y + "\u00b7" + c.sh + MINUS + c.pt + "+i\u00b7" + c.dh + ", " + x + "\u00b7" + c.sw + MINUS + c.pl + "+j\u00b7" + c.dw + "] \u00b7 w[" + o + ", c, i, j]"
        : head + " = " + (v.b ? "b[" + o + "] + " : "") + "\u03a3 x[0, c, m, n] \u00b7 w[c, " + (o % (c.cout / c.groups)) + ", i, j] over m\u00b7" + c.sh + " + i\u00b7" + c.dh + " = " + y + "+" + c.pt + ", n\u00b7" + c.sw + " + j\u00b7" + c.dw + " = " + x + "+" + c.pl;
      nums = (prods.length ? prods.join(" + ") : "0") + " = " + num(val).replace("-", MINUS);
    }
    f.appendChild(el("p", { class: "cnnx-sym", text: sym }));
    f.appendChild(el("p", { class: "cnnx-nums" }, [el("span", { text: "= " + nums })]));
    var note = inside.length + " input cell" + (inside.length === 1 ? "" : "s") + " read";
    if (padN) note += ", " + padN + " tap" + (padN === 1 ? "" : "s") + " on padding (" + (c.mode === "maxpool" ? "\u2212\u221e, never the max" : "0, adding nothing") + ")";
    f.appendChild(el("p", { class: "cnnx-note", text: note + (this.pinned ? " \u2014 pinned; click it again to unpin." : " \u2014 click an output cell to pin it.") }));
  };

  Explorer.prototype.renderSize = function (c) {
    this.size.textContent = "";
    if ([c.H, c.W, c.kh, c.kw, c.sh, c.sw, c.dh, c.dw, c.pt, c.pb, c.pl, c.pr].some(isNaN)) return;
    var trans = c.mode === "transposed";
    this.size.appendChild(this.heading("Output size"));
    var axis = function (name, I, k, s, d, pa, pb, op) {
      var res, line;
      if (trans) {
        res = (I - 1) * s - pa - pb + d * (k - 1) + op + 1;
        line = name + " = (I " + MINUS + " 1)s " + MINUS + " p_before " + MINUS + " p_after + d(k " + MINUS + " 1) + output_padding + 1 = (" + I + " " + MINUS + " 1)\u00b7" + s + " " + MINUS + " " + pa + " " + MINUS + " " + pb + " + " + d + "\u00b7(" + k + " " + MINUS + " 1) + " + op + " + 1 = ";
      } else {
        var numer = I + pa + pb - d * (k - 1) - 1;
        res = Math.floor(numer / s) + 1;
        line = name + " = \u230a(I + p_before + p_after " + MINUS + " d(k " + MINUS + " 1) " + MINUS + " 1)/s\u230b + 1 = \u230a(" + I + " + " + pa + " + " + pb + " " + MINUS + " " + d + "\u00b7(" + k + " " + MINUS + " 1) " + MINUS + " 1)/" + s + "\u230b + 1 = \u230a" + String(numer).replace("-", MINUS) + "/" + s + "\u230b + 1 = ";
      }
      return el("p", { class: "cnnx-size-" + name.toLowerCase() }, [line,
        el("strong", { class: "cnnx-result", "data-value": String(res), text: String(res).replace("-", MINUS) })]);
    };
    this.size.appendChild(axis("OH", c.H, c.kh, c.sh, c.dh, c.pt, c.pb, c.oph || 0));
    this.size.appendChild(axis("OW", c.W, c.kw, c.sw, c.dw, c.pl, c.pr, c.opw || 0));
  };

  Explorer.prototype.renderParams = function () {
    var c = this.cfg, p = this.params;
    p.textContent = "";
    p.appendChild(this.heading("Parameters"));
    var text, count;
    if (c.mode === "maxpool" || c.mode === "avgpool") { count = 0; text = "0: pooling has no weights, it only reads its window."; }
    else {
      var a = c.mode === "transposed" ? c.cin : c.cout, b = c.mode === "transposed" ? c.cout : c.cin;
      var per = a * (b / c.groups) * c.kh * c.kw;
      count = per + (c.bias ? c.cout : 0);
      text = (c.mode === "transposed" ? "in\u00b7(out/groups)" : "out\u00b7(in/groups)") + "\u00b7kh\u00b7kw" + (c.bias ? " + out (bias)" : "") + " = " +
        a + "\u00b7(" + b + "/" + c.groups + ")\u00b7" + c.kh + "\u00b7" + c.kw + (c.bias ? " + " + c.cout : "") + " = ";
    }
    p.appendChild(el("p", null, [text, el("strong", { class: "cnnx-param-count", "data-value": String(count), text: c.mode.indexOf("pool") > 0 ? "" : String(count) })]));
  };

  function nested(flat, shape) {
    if (shape.length === 1) return "[" + flat.slice(0, shape[0]).join(", ") + "]";
    var n = flat.length / shape[0], parts = [];
    for (var i = 0; i < shape[0]; i++) parts.push(nested(flat.slice(i * n, (i + 1) * n), shape.slice(1)));
    return "[" + parts.join(", ") + "]";
  }

  Explorer.prototype.callCode = function (lib) {
    var c = this.cfg, v = this.vals, np = lib === "cnnbook";
    var L = [];
    var sym = c.pt === c.pb && c.pl === c.pr;
    if (np) L.push("import numpy as np", "", "import cnnbook", "");
    else L.push("import torch", "import torch.nn.functional as F", "");
    L.push((np ? "x = np.array(" : "x = torch.tensor(") + nested(v.x, [1, c.cin, c.H, c.W]) + (np ? ", dtype=float)" : ", dtype=torch.float64)") + "  # (N, C, H, W)");
    var pool = c.mode === "maxpool" || c.mode === "avgpool";
    if (!pool) {
      L.push((np ? "weight = np.array(" : "weight = torch.tensor(") + nested(v.w, v.wshape) + (np ? ", dtype=float)" : ", dtype=torch.float64)") +
        (c.mode === "transposed" ? "  # (in, out/groups, kh, kw)" : "  # (out, in/groups, kh, kw)"));
      L.push("bias = " + (v.b ? (np ? "np.array(" : "torch.tensor(") + "[" + v.b.join(", ") + "]" + (np ? ", dtype=float)" : ", dtype=torch.float64)") : "None"));
    }
    var st = tuple(c.sh, c.sw), dl = tuple(c.dh, c.dw);
    var padArg = sym ? tuple(c.pt, c.pl) : "0";
    var xin = "x";
    if (!sym && c.mode !== "transposed") {
      var fill = c.mode === "maxpool" ? (np ? ", value=-np.inf" : ", value=-torch.inf") : "";
      if (np) L.push("# cnnbook.pad2d takes (top, bottom, left, right)", "xp = cnnbook.pad2d(x, " + "(" + [c.pt, c.pb, c.pl, c.pr].join(", ") + ")" + fill + ")");
      else L.push("# conv2d pads symmetrically only; F.pad takes (left, right, top, bottom)", "xp = F.pad(x, (" + [c.pl, c.pr, c.pt, c.pb].join(", ") + ")" + fill + ")");
      xin = "xp";
    }
    var call;
    if (c.mode === "conv") {
      call = (np ? "cnnbook.conv2d(" : "F.conv2d(") + xin + ", weight, bias, stride=" + st + ", padding=" + padArg + ", dilation=" + dl + ", groups=" + c.groups + ")";
    } else if (c.mode === "maxpool") {
      call = (np ? "cnnbook.max_pool2d(" : "F.max_pool2d(") + xin + ", kernel_size=" + tuple(c.kh, c.kw) + ", stride=" + st + ", padding=" + padArg + ", dilation=" + dl + ")";
    } else if (c.mode === "avgpool") {
      call = (np ? "cnnbook.avg_pool2d(" : "F.avg_pool2d(") + xin + ", kernel_size=" + tuple(c.kh, c.kw) + ", stride=" + st + ", padding=" + padArg + ")";
    } else {
      var op = tuple(c.oph, c.opw);
      if (np) {
        var zh = sym ? c.OH : c.OH + c.pt + c.pb, zw = sym ? c.OW : c.OW + c.pl + c.pr;
        L.push("# A transposed convolution is the gradient of conv2d with respect to its input:",
          "# conv2d maps an input of shape z to x's shape, conv2d_backward maps x back to z's.",
          "z = np.zeros((1, " + c.cout + ", " + zh + ", " + zw + "))");
        call = "cnnbook.conv2d_backward(x, z, weight, stride=" + st + ", padding=" + (sym ? padArg : "0") + ", dilation=" + dl + ", groups=" + c.groups + ")[0]" +
          (sym ? "" : "[..., " + c.pt + ":" + (c.pt + c.OH) + ", " + c.pl + ":" + (c.pl + c.OW) + "]") + (v.b ? " + bias[:, None, None]" : "");
      } else if (sym) {
        call = "F.conv_transpose2d(x, weight, bias, stride=" + st + ", padding=" + padArg + ", output_padding=" + op + ", dilation=" + dl + ", groups=" + c.groups + ")";
      } else {
        L.push("# conv_transpose2d crops symmetrically only: crop (top, bottom, left, right) by slicing");
        call = "F.conv_transpose2d(x, weight, bias, stride=" + st + ", padding=0, output_padding=" + op + ", dilation=" + dl + ", groups=" + c.groups + ")[..., " + c.pt + ":" + (c.pt + c.OH) + ", " + c.pl + ":" + (c.pl + c.OW) + "]";
      }
    }
    L.push("y = " + call + "  # shape (1, " + c.cout + ", " + c.OH + ", " + c.OW + ")");
    return L.join("\n") + "\n";
  };

  Explorer.prototype.renderCode = function () {
    var self = this, code = this.code;
    code.textContent = "";
    code.appendChild(el("summary", { text: "The same output in code (cnnbook and PyTorch)" }));
    [["cnnbook", "cnnbook (NumPy)"], ["torch", "PyTorch"]].forEach(function (pair) {
      var text = self.callCode(pair[0]);
      var pre = el("pre", { class: "cnnx-pre cnnx-code-" + pair[0], tabindex: "0", "aria-label": pair[1] + " code" }, [el("code", { text: text })]);
      var msg = el("span", { class: "cnnx-copied", role: "status" });
      var b = el("button", { type: "button", class: "cnnx-btn cnnx-copy", "data-lib": pair[0], text: "Copy " + pair[1] + " code" });
      b.addEventListener("click", function () {
        var done = function () { msg.textContent = "Copied."; };
        var fallback = function () {
          var range = document.createRange();
          range.selectNodeContents(pre);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
          msg.textContent = ok ? "Copied." : "Selected: press Ctrl+C to copy.";
        };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
        else fallback();
      });
      code.appendChild(el("div", { class: "cnnx-codeblock" }, [self.heading(pair[1]), pre, el("div", { class: "cnnx-copyrow" }, [b, msg])]));
    });
  };

  Explorer.prototype.play = function () {
    var self = this;
    if (!this.cfg || this.timer) return;
    this.pinned = false;
    this.bPlay.textContent = "pause";
    this.bPlay.setAttribute("aria-label", "pause");
    this.timer = setInterval(function () {
      if (!self.root.isConnected) { self.pause(); return; }
      self.go(self.t + 1, false);
    }, 700);
  };

  Explorer.prototype.pause = function () {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.bPlay.textContent = "\u25b6 play";
    this.bPlay.setAttribute("aria-label", "play");
  };

  Explorer.prototype.config = function () {
    if (!this.cfg) return null;
    var c = {}, k;
    for (k in this.cfg) if (k !== "errors") c[k] = this.cfg[k];
    return c;
  };

  Explorer.prototype.values = function () {
    var c = this.cfg, v = this.vals;
    if (!c) return null;
    var shape = function (flat, s) { return JSON.parse(nested(flat, s)); };
    return { x: shape(v.x, [1, c.cin, c.H, c.W]), weight: v.pool ? null : shape(v.w, v.wshape), bias: v.b ? v.b.slice() : null };
  };

  var api = { instances: [], mulberry32: mulberry32, draw: draw };

  api.init = function (scope) {
    var nodes = (scope || document).querySelectorAll(".cnn-explorer:not([data-cnnx-ready])");
    api.instances = api.instances.filter(function (e) { return e.root.isConnected; });
    Array.prototype.forEach.call(nodes, function (node) {
      node.setAttribute("data-cnnx-ready", "");
      var ex;
      try {
        ex = new Explorer(node);
      } catch (err) {
        node.textContent = "The convolution explorer could not start: " + err.message;
        node.classList.add("cnnx-error");
        return;
      }
      api.instances.push(ex);
    });
    return api.instances;
  };

  window.cnnExplorer = api;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { api.init(); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { api.init(); });
  } else {
    api.init();
  }
})();
