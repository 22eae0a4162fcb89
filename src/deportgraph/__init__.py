"""deportgraph."""
