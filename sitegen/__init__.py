"""sitegen: a static site generator for archives of Daily Papers listing dumps."""

__version__ = "0.1.0"
