"""Code that exists only for speed: forking across cores, threads for compiled loops, and the garbage collector's policy.

The build driver applies it around phases; no domain module imports it for its own sake."""
