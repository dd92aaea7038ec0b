"""Memos that reuse work from one build to the next while its inputs are unchanged.

`sitegen serve` (preview/incremental.py) and `sitegen add` (add/intake.py) both
rebuild an archive that changed in a few places. Like speed/, this stands beside
the pipeline: no pipeline module imports it; the memos wrap its pure steps from outside."""
