"""Shoe Capital: YAML about Chengdu's footwear industry in, a MkDocs Material site out.

The pipeline reads off the modules: ``load`` (YAML → data with source positions),
``validate`` (data → typed items), ``resolve`` (references, backlinks, the index),
``render`` (templates → Markdown pages), ``write`` (pages → a git-ignored folder).
``pipeline`` runs them in order; ``plugin`` and ``cli`` are thin edges over it.
"""

__version__ = "0.1.0"
