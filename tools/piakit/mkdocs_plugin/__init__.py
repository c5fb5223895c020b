"""The mkdocs adapter of the published site: the one place that imports mkdocs.

The pages themselves come from ``piakit.website``, which knows nothing about mkdocs, so another
static-site engine can publish the same site through an adapter of its own.
"""
