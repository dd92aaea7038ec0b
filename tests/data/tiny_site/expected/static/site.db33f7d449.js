// Shared script of the site. The search page has its own (search.js); browsing the
// archive needs no JavaScript.
