"""Outputs: JSON, GraphML, a Cypher script, CSVs for neo4j-admin, the interactive HTML page and the
Markdown of a country's profile, each a writer over a read-only view of the store; `write_export` is the
one entry point the CLI calls."""

from .exports import CYPHER_DIALECTS, EXPORT_KINDS, write_export

__all__ = ["CYPHER_DIALECTS", "EXPORT_KINDS", "write_export"]
