"""The figure renderer: deterministic files, re-rendered only when inputs change, loud failures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cnnbook.site.figures_registry import FIGURES
from cnnbook.site.render import FIGURES_DIR, Figure, input_hash, render, render_all, stale
from tests.sitebuild import ROOT

TINY = "tests.site.figure_fixtures:tiny_figure"


def quiet(_: str) -> None:
    pass


@pytest.mark.parametrize("name", ["a.png", "a.svg", "a.pdf"])
def test_rendering_twice_gives_identical_bytes(tmp_path: Path, name: str) -> None:
    first = render(name, Figure(TINY), tmp_path / "1").read_bytes()
    second = render(name, Figure(TINY), tmp_path / "2").read_bytes()
    assert first == second
    assert b"CreationDate" not in first and b"<dc:date>" not in first


def test_a_figure_is_rendered_only_when_its_inputs_change(tmp_path: Path) -> None:
    figures = {"a.png": Figure(TINY, {"value": 1})}
    assert render_all(figures, tmp_path, log=quiet) == {"a.png": True}
    assert render_all(figures, tmp_path, log=quiet) == {"a.png": False}
    changed = {"a.png": Figure(TINY, {"value": 2})}
    assert stale(changed, tmp_path) == ["a.png"]
    assert render_all(changed, tmp_path, log=quiet) == {"a.png": True}
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == {"a.png": input_hash(changed["a.png"])}


def test_rendering_in_several_processes_gives_the_same_files_and_manifest(tmp_path: Path) -> None:
    figures = {
        f"f{v}.{ext}": Figure(TINY, {"value": v}) for v in (1, 2, 3) for ext in ("png", "svg")
    }
    assert render_all(figures, tmp_path / "one", jobs=1, log=quiet) == dict.fromkeys(figures, True)
    assert render_all(figures, tmp_path / "two", jobs=2, log=quiet) == dict.fromkeys(figures, True)
    for name in [*figures, "manifest.json"]:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    assert render_all(figures, tmp_path / "two", jobs=2, log=quiet) == dict.fromkeys(figures, False)


def test_a_failing_figure_in_a_worker_process_fails_with_its_name(tmp_path: Path) -> None:
    figures = {
        "ok.png": Figure(TINY),
        "bad.png": Figure("tests.site.figure_fixtures:broken_figure"),
    }
    with pytest.raises(RuntimeError, match=r"figure bad.png .* cannot be drawn"):
        render_all(figures, tmp_path, jobs=2, log=quiet)


def test_a_deleted_file_is_rendered_again(tmp_path: Path) -> None:
    figures = {"a.svg": Figure(TINY)}
    render_all(figures, tmp_path, log=quiet)
    (tmp_path / "a.svg").unlink()
    assert render_all(figures, tmp_path, log=quiet) == {"a.svg": True}


def test_a_function_taking_path_writes_its_own_file(tmp_path: Path) -> None:
    entry = Figure("tests.site.figure_fixtures:tiny_writer", {"text": "gif bytes"})
    assert render("anim.gif", entry, tmp_path).read_text() == "gif bytes"


def test_a_failing_figure_fails_with_its_name(tmp_path: Path) -> None:
    figures = {"bad.png": Figure("tests.site.figure_fixtures:broken_figure")}
    with pytest.raises(RuntimeError, match=r"figure bad.png .* cannot be drawn"):
        render_all(figures, tmp_path, log=quiet)


def test_a_reference_without_function_name_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"function \(='cnnbook.figures'\) must be"):
        Figure("cnnbook.figures").resolve()


def test_an_unknown_extension_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"a.bmp: extension must be one of"):
        render("a.bmp", Figure(TINY), tmp_path)


def test_every_registered_figure_names_an_importable_function() -> None:
    for name, entry in FIGURES.items():
        assert callable(entry.resolve()), name
        assert Path(name).suffix in (".png", ".svg", ".pdf", ".gif"), name


@pytest.mark.slow
def test_registered_figures_render_deterministically(tmp_path: Path, built_site: object) -> None:
    """Render every registered figure from scratch; the bytes equal the build's rendering.

    The site build rendered them into docs/assets/figures (``make figures``, its manifest
    current for this code); a second, forced rendering must give the same bytes.
    """
    del built_site  # needed for its rendering of docs/assets/figures
    assert stale(FIGURES) == []
    script = ROOT / "scripts" / "render_figures.py"
    proc = subprocess.run(
        [sys.executable, str(script), "--force", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    for name in FIGURES:
        assert (tmp_path / name).read_bytes() == (FIGURES_DIR / name).read_bytes(), name
    assert FIGURES_DIR.name == "figures"


def test_a_figure_has_the_same_bytes_whatever_the_blas_thread_count(tmp_path: Path) -> None:
    # The saliency figure's gradients differed in their last bits between one BLAS thread
    # (make test) and two (make docs), so a figure the build drew failed this suite's
    # determinism test; the renderer now draws every figure with one BLAS thread.
    code = (
        "import sys; from pathlib import Path\n"
        "from cnnbook.site.figures_registry import FIGURES\n"
        "from cnnbook.site.render import render\n"
        "render('saliency.png', FIGURES['saliency.png'], Path(sys.argv[1]))\n"
    )
    drawn = []
    for threads in ("1", "2"):
        env = {**os.environ, "OMP_NUM_THREADS": threads, "OPENBLAS_NUM_THREADS": threads}
        out = tmp_path / threads
        subprocess.run([sys.executable, "-c", code, str(out)], env=env, cwd=ROOT, check=True)
        drawn.append((out / "saliency.png").read_bytes())
    assert drawn[0] == drawn[1]
