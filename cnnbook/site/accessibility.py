"""The accessibility audit: axe-core run on every built page, in both colour schemes.

axe-core comes from npm, installed on demand into a cache folder outside the site
(``.cache/npm`` in the checkout, gitignored): the site never ships it and never loads it;
only the audit injects it into the pages it opens. The browser is the tests' Debian
Chromium driven by Playwright (imported lazily: this module is importable without it).

The rules run are those tagged WCAG 2.0/2.1 level A and AA plus axe's best practices (which
hold ``aria-dialog-name``, ``heading-order``, ``empty-table-header``, ``region``), in the
light scheme; in the dark one (Material's ``slate``) the page is shown again without a
reload and the rules that depend on colour run again (``COLOUR_RULES``). A page passes
when no violation has impact "serious" or "critical". ``scripts/check_accessibility.py``
prints the counts of every impact; ``tests/site/test_accessibility.py`` asserts zero.

Examples
--------
>>> v = Violation("kernel/", "slate", "color-contrast", "serious", "#x > a", "Elements must...")
>>> v.blocking
True
>>> str(v)
'kernel/ [slate] color-contrast (serious): #x > a'
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Exact version: a new axe release adds or sharpens rules, which must not turn CI red on
# its own. Upgrade by changing this line (and fixing what the new rules find).
AXE_PACKAGE = "axe-core@4.14.1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
# Material's palette options in mkdocs.yml, in order: index 0 light ("default"), 1 dark.
SCHEMES = ("default", "slate")


@dataclass(frozen=True)
class Violation:
    """One element failing one axe rule on one page in one colour scheme."""

    page: str
    scheme: str
    rule: str
    impact: str
    target: str
    help: str

    @property
    def blocking(self) -> bool:
        """True for the impacts the site must not have ("serious", "critical")."""
        return self.impact in BLOCKING

    def __str__(self) -> str:
        return f"{self.page} [{self.scheme}] {self.rule} ({self.impact}): {self.target}"


def install_axe(cache: Path) -> Path:
    """Return ``axe.min.js``, installing ``AXE_PACKAGE`` with npm into ``cache`` if missing.

    ``npm install --no-save --prefix cache``: nothing is written to the repository's
    package files (it has none) and nothing to the site. Raises ``RuntimeError`` with npm's
    output when the install fails (no npm, no network).
    """
    cache = Path(cache)
    axe = cache / "node_modules" / "axe-core" / "axe.min.js"
    version = AXE_PACKAGE.rpartition("@")[2]
    package = cache / "node_modules" / "axe-core" / "package.json"
    if axe.is_file() and json.loads(package.read_text())["version"] == version:
        return axe
    cache.mkdir(parents=True, exist_ok=True)
    cmd = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(cache)]
    try:
        proc = subprocess.run(
            [*cmd, AXE_PACKAGE], capture_output=True, text=True, check=False, timeout=300
        )
    except FileNotFoundError as err:
        raise RuntimeError(f"npm is missing ({err}): install Node.js and npm") from err
    if proc.returncode != 0 or not axe.is_file():
        raise RuntimeError(f"npm install {AXE_PACKAGE} failed:\n{proc.stdout}\n{proc.stderr}")
    return axe


def page_paths(site: Path) -> list[str]:
    """Return the URL path of every page of a built site but the 404 page.

    ``""`` is the home page, ``"kernel/"`` a page, ``"api/conv2d/"`` a nested one.
    """
    paths = []
    for index in sorted(Path(site).rglob("index.html")):
        rel = index.parent.relative_to(site).as_posix()
        if rel != "404":
            paths.append("" if rel == "." else rel + "/")
    return paths


# Rules whose result depends on colours: the only ones run again in the dark scheme (the
# markup, names, roles and keyboard order are the same in both; only the CSS differs).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]

# Run in the page: wait until the page has the layout its reader sees, then axe on the
# document. First the widgets that draw after load (the graph's canvas is taller than the
# space kept for it, so drawing it moves the footer). Then Material's sidebars: at the
# width of the audit a sidebar is 0 px high and Material gives its scroll wrapper a height
# on an animation frame after load, and again a frame after every layout change. Until
# then the wrapper is as tall as the whole navigation and hangs below the sidebar: on a
# short page its lower entries lie over the dark footer, and axe measured dark text on it
# (a flaky color-contrast failure of four entries of graph/, whenever load came before
# that frame). A reader sees that state for one frame at most, as the page starts; the
# audit measures the page as it then stays (every element, rule and impact as before).
# ``noHtml``: axe stops serialising every node it checks (its ``html`` field, outerHTML of
# whole subtrees, unused here); the rules, the nodes checked and the violations are the same.
_RUN_AXE = """async ([only]) => {
  const until = async (test) => {
    for (let i = 0; i < 200 && !test(); i++) await new Promise((r) => setTimeout(r, 25));
  };
  const has = (selector) => document.querySelector(selector) !== null;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  if (has('.cnn-live')) await until(() => has('[data-cnn-live-loaded]'));
  if (has('.cnn-explorer')) await until(() => has('.cnnx-views, .cnnx-error'));
  if (has('#wiki-graph')) await until(() => has('#wiki-graph canvas'));
  // A shown sidebar whose height is 0 waits for Material to size its scroll wrapper.
  const unsized = () => Array.from(document.querySelectorAll('.md-sidebar')).some((bar) =>
    bar.getClientRects().length > 0 && getComputedStyle(bar).height === '0px' &&
    !bar.querySelector('.md-sidebar__scrollwrap').style.height);
  await until(() => !unsized());
  // Material follows the widgets' last layout change on the frame after the one that
  // reports it (a ResizeObserver, then an animation frame): three frames cover both.
  for (let i = 0; i < 3; i++) await frame();
  axe.configure({ noHtml: true });
  const result = await axe.run(document, { runOnly: only, resultTypes: ['violations'] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map((n) => n.target.join(' ')),
  }));
}"""

# A scheme change fades colours over 125-250 ms (Material's CSS transitions). The audit
# turns transitions off on the page it audits, so that a change of scheme shows its end
# colours at once: waiting for the fades took up to its 3 s limit on some pages (a fade
# that never reported its end), and finishing them left fades that started later
# mid-way. Only the timing of a change differs; the colours measured are the same.
NO_FADES = "*, *::before, *::after { transition: none !important; }"
_STOP_FADES = """(css) => {
  const style = document.createElement('style');
  style.dataset.cnnbookAudit = '';
  style.textContent = css;
  document.head.append(style);
}"""


def show_scheme(page: Any, scheme: str) -> None:
    """Show the open page in Material's ``scheme``, as its palette toggle does.

    The toggle sets the body's ``data-md-color-scheme`` (and stores the choice for the
    next pages, which the audit does not need: it switches each page in place).
    """
    page.evaluate("(s) => document.body.setAttribute('data-md-color-scheme', s)", scheme)


def audit_page(page: Any, path: str) -> list[Violation]:
    """Return every violation axe finds on the open ``page`` (at ``path``), both schemes.

    All rules of ``AXE_TAGS`` run in the light scheme, then the colour rules in the dark
    one, on the whole document each time (the site's header, navigation, table of
    contents and footer included). axe must already be on the page (an init script of its
    context, or ``page.add_script_tag``); CSS transitions are turned off first
    (``NO_FADES``).
    """
    page.evaluate(_STOP_FADES, NO_FADES)
    found: list[Violation] = []
    passes = [
        ("default", {"type": "tag", "values": AXE_TAGS}),
        ("slate", {"type": "rule", "values": COLOUR_RULES}),
    ]
    for scheme, only in passes:
        show_scheme(page, scheme)
        for v in page.evaluate(_RUN_AXE, [only]):
            found += [
                Violation(path, scheme, v["id"], v["impact"] or "", target, v["help"])
                for target in v["targets"]
            ]
    show_scheme(page, SCHEMES[0])
    return found


def audit_pages(browser: Any, base_url: str, paths: Iterable[str], axe_js: Path) -> list[Violation]:
    """Return every violation axe finds on ``paths`` of the site at ``base_url``, both schemes.

    One browser context visits the pages in turn and loads each once. axe is an init
    script of the context: each page evaluates it as it loads, without the test sending
    and the page compiling axe again after every load (``page.add_script_tag``).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    context.add_init_script(path=str(axe_js))
    found: list[Violation] = []
    try:
        page = context.new_page()
        for path in paths:
            page.goto(base_url + path, wait_until="load")
            found += audit_page(page, path)
    finally:
        context.close()
    return found


def balanced_parts(site: Path, paths: list[str], count: int) -> list[list[str]]:
    """Split ``paths`` of the built ``site`` into ``count`` parts that take about as long.

    A page's audit costs a fixed part (load, two axe runs) plus a part that grows with its
    DOM, estimated as ``1 + size / 100 kB`` of its HTML; each page, the costliest first,
    goes to the part with the least cost so far (longest processing time first). Every
    page is in exactly one part; each part keeps the site's order.

    >>> import tempfile
    >>> site = Path(tempfile.mkdtemp())
    >>> for name, size in [("a", 900_000), ("b", 100), ("c", 100), ("d", 100)]:
    ...     (site / name).mkdir()
    ...     _ = (site / name / "index.html").write_text("x" * size)
    >>> balanced_parts(site, ["a/", "b/", "c/", "d/"], 2)
    [['a/'], ['b/', 'c/', 'd/']]
    """
    if count < 1:
        raise ValueError(f"count (={count}) must be at least 1")

    def cost(path: str) -> float:
        return 1 + (Path(site) / path / "index.html").stat().st_size / 100_000

    parts: list[list[str]] = [[] for _ in range(count)]
    totals = [0.0] * count
    for path in sorted(paths, key=lambda p: (-cost(p), p)):
        k = totals.index(min(totals))
        parts[k].append(path)
        totals[k] += cost(path)
    order = {path: i for i, path in enumerate(paths)}
    return [sorted(part, key=order.__getitem__) for part in parts]


def summary(violations: Iterable[Violation]) -> str:
    """Return a table of counts: one line per (scheme, rule, impact), most frequent first."""
    counts = Counter((v.scheme, v.rule, v.impact) for v in violations)
    lines = [f"{n:6d}  {s:8s} {rule:32s} {impact}" for (s, rule, impact), n in counts.most_common()]
    return "\n".join(lines)
