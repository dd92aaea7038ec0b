"""`sitegen add`: take newly saved listing dumps into a content folder.

`naming` decides a dump's save date and the name of its copy, `intake` reads
it with the build's own parser and merges it against the archive as it
stands, `brings` says what it changed, `show` prints that, `store` writes the
copy, and `command` is the command line around them.
"""
