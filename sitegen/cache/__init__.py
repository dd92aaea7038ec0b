"""The build cache: `sitegen build` keeps on disk what a later build can reuse (README: "The build cache")."""
