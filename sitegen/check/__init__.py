"""`sitegen check`: the pipeline's warnings, output collisions and broken links, without deploying."""
