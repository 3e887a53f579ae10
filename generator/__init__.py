"""Shoe Capital: YAML about Chengdu's footwear industry in, a MkDocs Material site out.

The folders are the stages, in the order data flows: ``read`` (YAML → checked records),
``link`` (references, pages, backlinks, provenance), ``pages`` (Markdown pages and data files),
``publish`` (files on disk, the site, its search and offline edition); ``pipeline`` runs them in
order; ``edit``, ``plugin`` and ``cli`` are thin edges over it. ``bench`` stands apart.
"""

__version__ = "0.1.0"
