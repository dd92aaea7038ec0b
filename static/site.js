// Loaded on the search page only; browsing the archive needs no JavaScript.
