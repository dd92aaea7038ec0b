"""Step 1, read: listing dumps, settings, the taxonomy and pages -> `Content` (parsed `Listing`s)."""
