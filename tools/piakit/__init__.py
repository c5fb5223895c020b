"""piakit: a 特定個人情報保護評価書 kept as code.

Items are YAML files in git, revisions are commits whose trailers carry the reasons, and the
comparison table, the review diff, office files and the site are computed from the history.
"""

__version__ = "0.1.0"
