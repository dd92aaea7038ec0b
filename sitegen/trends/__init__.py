"""How the archive changes over time: week and month pages, digests, rising tags, charts, /stats/."""
