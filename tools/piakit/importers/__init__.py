"""Importers: a hand-kept comparison table read into piakit's records, planned as history
and written as commits.

The pipeline, one module a step: ``reading`` (the source file into numbered records) →
``table`` (header, affair and rows; ``paths``, ``ids``, ``eras`` and ``values`` read the
headings, ids, milestone dates and cells) → ``planning`` (the commits that rebuild the
table) → ``executor`` (item files, commits and tags, all at once or not at all).

Only ``executor`` writes files, runs git or touches the repository; every other module reads
at most the one input file.
"""
