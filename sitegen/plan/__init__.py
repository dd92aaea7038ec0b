"""Step 3, plan: the `Site` -> every page's view and every other file, each at its URL."""
