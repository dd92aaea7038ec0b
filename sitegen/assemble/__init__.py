"""Step 2, assemble: listings -> merged `Paper`s -> the `Site` (days, tags, organisations, related papers)."""
