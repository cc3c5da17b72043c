// The Graph page: draw assets/graph.json (written by cnnbook/site/hooks.py) with the
// vendored force-graph. Nodes are pages, arrows are wiki links; click a node to open it.
document$.subscribe(() => {
  // Titles are text: force-graph sets a tooltip's innerHTML, so a label is the title put
  // through textContent and read back as HTML (escaped), never the raw title.
  const asHtmlText = (text) => {
    const holder = document.createElement("span");
    holder.textContent = String(text);
    return holder.innerHTML;
  };
  const element = document.getElementById("wiki-graph");
  if (!element || typeof ForceGraph === "undefined") return;
  const config = JSON.parse(document.getElementById("__config").textContent);
  const base = new URL(config.base.replace(/\/?$/, "/"), window.location.href);
  fetch(new URL("assets/graph.json", base))
    .then((response) => response.json())
    .then((data) => {
      const degree = {};
      data.links.forEach((link) => {
        degree[link.target] = (degree[link.target] || 0) + 1;
      });
      element.dataset.nodes = data.nodes.length;
      element.dataset.links = data.links.length;
      const graph = ForceGraph()(element)
        .width(element.clientWidth)
        .height(Math.max(420, Math.round(window.innerHeight * 0.6)))
        .graphData(data)
        .nodeId("id")
        .nodeLabel((node) => asHtmlText(node.title))
        .nodeVal((node) => 1 + (degree[node.id] || 0))
        .linkDirectionalArrowLength(4)
        .linkDirectionalArrowRelPos(1)
        .linkLineDash((link) => (link.kind === "upstream" ? [4, 2] : null))
        .nodeCanvasObjectMode(() => "after")
        .nodeCanvasObject((node, context, scale) => {
          context.font = `${11 / scale}px sans-serif`;
          context.textAlign = "center";
          context.fillStyle = "#333";
          context.fillText(node.title, node.x, node.y + 10 / scale);
        })
        .onNodeClick((node) => {
          window.location.href = new URL(node.url, base).href;
        });
      element.graph = graph;
    });
});
