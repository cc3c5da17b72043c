// Render math with the vendored KaTeX, on first load and after every instant navigation
// (Material's document$). Markdown pages carry arithmatex's \( \) and \[ \] spans;
// notebooks carry raw $...$ and $$...$$ in their Markdown cells.
document$.subscribe(({ body }) => {
  const options = (delimiters) => ({ delimiters, throwOnError: false });
  body.querySelectorAll(".arithmatex").forEach((element) => {
    renderMathInElement(element, options([
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ]));
  });
  body.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput, .jupyter-wrapper .jp-RenderedHTML").forEach((element) => {
    renderMathInElement(element, options([
      { left: "$$", right: "$$", display: true },
      { left: "$", right: "$", display: false },
      { left: "\\(", right: "\\)", display: false },
      { left: "\\[", right: "\\]", display: true },
    ]));
  });
});
