"""`sitegen serve`: the preview server, the watcher, the rebuilder, and the memos that make rebuilds quick.

The pipeline imports nothing from here."""
