"""The use cases: one module per command or page family, each a plain function that the
command line (``cli/``) and the mkdocs plugin call. They open nothing and print nothing:
they take a ``Workspace`` (or paths) and return records for ``render`` to write."""
