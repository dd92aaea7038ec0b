"""`sitegen serve`: the preview server, the watcher, the rebuilder and its reuse (memos from sitegen/memo/).

The pipeline imports nothing from here."""
