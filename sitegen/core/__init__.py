"""Types every stage shares: the models, diagnostics, slugs and the memo a reuse keeps values in. Imports nothing else of sitegen."""
