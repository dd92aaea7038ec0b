"""Step 5, index: the paper pages' search records -> Pagefind bundles."""
