// Keyboard access to scrolled content (WCAG 2.1.1; axe: scrollable-region-focusable).
// A box that scrolls (a wide table, a long line of notebook code or output, an explorer
// grid) must be reachable with Tab so the arrow keys can scroll it. Only boxes that
// overflow right now get a tab stop (no role or name of their own: a screen reader reads
// what they hold); the rest lose it again. Re-checked after Material's instant navigation,
// on resize and when a widget redraws its content.
(function () {
  "use strict";

  var MARK = "data-scroll-region";
  // Where the site's pages put boxes that may scroll: Material's table wrapper and code,
  // notebook cells and outputs, the explorer's grids and code, mkdocstrings' signatures,
  // wide display formulas.
  var CANDIDATES = [
    ".md-typeset__scrollwrap", ".md-typeset pre", ".md-typeset pre > code", ".highlight-ipynb",
    ".jp-OutputArea-output", ".jp-RenderedText", ".cnnx-scroll", ".cnnx-nums", ".cnnx-pre",
    ".doc-signature", ".md-typeset table", ".md-typeset div.arithmatex",
  ].join(", ");

  function scrolls(el) {
    var style = getComputedStyle(el);
    var x = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    var y = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    return x || y;
  }

  function hasFocusable(el) {
    return el.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])") !== null;
  }

  function mark(scope) {
    var root = scope || document.querySelector(".md-content") || document.body;
    Array.prototype.forEach.call(root.querySelectorAll(CANDIDATES), function (el) {
      var marked = el.hasAttribute(MARK);
      if (!marked && el.hasAttribute("tabindex")) return;  // the page's own tab stop
      if (scrolls(el) && (marked || !hasFocusable(el))) {
        if (!marked) {
          el.setAttribute(MARK, "");
          el.setAttribute("tabindex", "0");
        }
      } else if (marked) {
        el.removeAttribute(MARK);
        el.removeAttribute("tabindex");
      }
    });
  }

  var pending = false;
  function soon() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; mark(); });
  }

  var observer = new MutationObserver(soon);
  function start() {
    var content = document.querySelector(".md-content");
    observer.disconnect();
    if (content) observer.observe(content, { childList: true, subtree: true });
    mark();
  }

  window.cnnbookA11y = { mark: mark };
  window.addEventListener("resize", soon);
  // Web fonts (KaTeX's) widen formulas after they load, with no change to the DOM.
  window.addEventListener("load", soon);
  if (document.fonts && document.fonts.addEventListener) document.fonts.addEventListener("loadingdone", soon);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(soon);
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
