"""The wiki graph: pages found under every name, links and backlinks, upstream, graph JSON."""

from __future__ import annotations

import json

from cnnbook.site.wiki_graph import WikiGraph, page_names, page_source, page_title


def small_wiki() -> WikiGraph:
    wiki = WikiGraph()
    wiki.add_page("index.md", "", title="Convolutional Neural Network")
    wiki.add_page("kernel.md", "kernel/", title="Kernel", nav_title="Kernels", aliases=["filter"])
    wiki.add_page("usecases/index.md", "usecases/", title="Use Cases")
    wiki.add_page("pooling.md", "pooling/", title="Understanding Pooling Layers")
    return wiki


def test_a_page_answers_to_title_nav_title_path_alias_and_file_name() -> None:
    wiki = small_wiki()
    for name in ("Kernel", "kernels", "KERNEL", "filter", "kernel"):
        assert wiki.index.resolve(name) == "kernel.md", name
    assert wiki.index.resolve("usecases") == "usecases/index.md"
    assert wiki.index.resolve("usecases/index") == "usecases/index.md"


def test_a_name_two_pages_claim_resolves_to_neither() -> None:
    wiki = small_wiki()
    wiki.add_page("kernels.md", "kernels/", title="Kernels")
    assert wiki.index.resolve("Kernels") is None
    assert "kernels" in wiki.index.ambiguous


def test_links_to_other_pages_are_edges_and_self_links_are_not() -> None:
    wiki = small_wiki()
    wiki.add_links("kernel.md", "[[Kernel]], [[#Sobel]], [[filter#Edges]], [[Max Pool]]")
    wiki.add_links("index.md", "[[filter]] and [[Understanding Pooling Layers|pooling]]")
    assert wiki.edges == {("index.md", "kernel.md"), ("index.md", "pooling.md")}


def test_backlinks_are_the_linking_pages_sorted_by_title() -> None:
    wiki = small_wiki()
    wiki.add_links("usecases/index.md", "[[Kernel]]")
    wiki.add_links("index.md", "[[Kernel]]")
    assert wiki.backlinks("kernel.md") == [
        {"title": "Convolutional Neural Network", "url": ""},
        {"title": "Use Cases", "url": "usecases/"},
    ]
    assert wiki.backlinks("pooling.md") == []


def test_an_upstream_written_unquoted_in_yaml_is_unwrapped() -> None:
    wiki = small_wiki()
    assert wiki.set_upstream("kernel.md", [["Convolutional Neural Network"]])
    assert wiki.set_upstream("pooling.md", "[[Kernel]]")
    assert not wiki.set_upstream("usecases/index.md", "No Such Page")
    assert wiki.upstream_link("kernel.md") == {"title": "Convolutional Neural Network", "url": ""}
    assert wiki.upstream_link("usecases/index.md") is None


def test_the_graph_json_lists_every_page_and_both_kinds_of_link() -> None:
    wiki = small_wiki()
    wiki.add_links("index.md", "[[Kernel]]")
    wiki.set_upstream("kernel.md", "index")
    graph = json.loads(json.dumps(wiki.as_json()))
    assert [n["id"] for n in graph["nodes"]] == sorted(wiki.titles)
    assert {"id": "kernel.md", "title": "Kernel", "url": "kernel/"} in graph["nodes"]
    assert graph["links"] == [
        {"source": "index.md", "target": "kernel.md"},
        {"source": "kernel.md", "target": "index.md", "kind": "upstream"},
    ]


def test_the_title_comes_from_front_matter_then_h1_then_nav_then_file_name() -> None:
    assert page_title("a.md", {"title": "T"}, "# H1", "Nav") == "T"
    assert page_title("a.md", {}, "text\n# H1 #\n", "Nav") == "H1"
    assert page_title("a.md", {}, "text", "Nav") == "Nav"
    assert page_title("dir/a-b.md", {}, "text") == "a-b"


def test_only_top_level_pages_and_folder_indexes_answer_to_a_short_name() -> None:
    assert "b" not in page_names("a/b.md", "Title")
    assert page_names("a/index.md", "Title")[-1] == "a"


def test_a_notebooks_source_is_its_markdown_cells_joined() -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Demo\n", "See [[Kernel]]."]},
            {"cell_type": "code", "source": "x = 1  # [[Not A Link]]"},
            {"cell_type": "markdown", "source": "More."},
        ]
    }
    meta, text = page_source("demo.ipynb", json.dumps(notebook))
    assert meta == {}
    assert text == "# Demo\nSee [[Kernel]].\n\nMore."
