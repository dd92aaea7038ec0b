"""Step 4, write: planned pages -> HTML through Jinja, into a staging folder swapped in whole."""
