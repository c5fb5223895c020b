"""Importers: hand-kept documents (the comparison table) read into piakit's records.

Importers parse and plan; they never write files, run git or touch the repository.
"""
