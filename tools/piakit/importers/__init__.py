"""Importers: a hand-kept comparison table read into piakit's records and planned as history.

The pipeline, one module a step: ``reading`` (the source file into numbered records) →
``table`` (header, affair and rows; ``paths``, ``ids``, ``eras`` and ``values`` read the
headings, ids, milestone dates and cells) → ``planning`` (the commits that rebuild the
table). The use case ``usecases.import_table`` writes the plan as item files, commits and
tags, all at once or not at all.

Nothing here writes a file, runs git or touches the repository; each module reads at most
the one input file.
"""
