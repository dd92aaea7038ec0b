"""Types every stage shares: the models, diagnostics and slugs. Imports nothing else of sitegen."""
