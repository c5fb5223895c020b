"""The page builders: one module per kind of page, each a pure function from an assessment's
``AssessmentData`` (and the ``Urls`` it links with) to ``SitePage`` records.

A page builder never reads the workspace, runs git or writes files: what a page shows is
gathered beforehand by ``piakit.website.gather``.
"""
