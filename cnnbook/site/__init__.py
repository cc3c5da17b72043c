"""The site machinery: wiki links, backlinks, the wiki graph and computed values.

``hooks.py`` is the MkDocs hook module named in ``mkdocs.yml``; it is a thin layer over
the functions in :mod:`cnnbook.site.wikilinks` (link syntax, protection of code and math,
resolution), :mod:`cnnbook.site.wiki_graph` (pages by name, backlinks, the graph),
:mod:`cnnbook.site.wikilink_rendering` (the links written into pages),
:mod:`cnnbook.site.computed` (``{{ cnnbook: expr }}`` values), :mod:`cnnbook.site.glossary`
(terms and hover abbreviations) and :mod:`cnnbook.site.offline` (the check that the built
site loads nothing from another host). The page-author guide is ``cnnbook/site/README.md``.
"""
