// name: evidence
// question: Which articles and sentences support this node or edge?
// params: id
// columns: source_id, url, title, published, quote
// One row per (evidence source, quote) pair: the i-th quote came from the i-th evidence source.
// Every label and type that carries provenance is looked up on its own, so each lookup uses the
// id index of that label or type instead of scanning the whole graph.
OPTIONAL MATCH (n1:Agency {id: $id})
OPTIONAL MATCH (n2:Official {id: $id})
OPTIONAL MATCH (n3:Agreement {id: $id})
OPTIONAL MATCH ()-[e1:ACCEPTS_DEPORTEES_FROM {id: $id}]->()
OPTIONAL MATCH ()-[e2:BLOCKED_BY {id: $id}]->()
OPTIONAL MATCH ()-[e3:FUNDED_BY {id: $id}]->()
OPTIONAL MATCH ()-[e4:HOLDS_OFFICE {id: $id}]->()
OPTIONAL MATCH ()-[e5:NEGOTIATED {id: $id}]->()
OPTIONAL MATCH ()-[e6:PAID {id: $id}]->()
OPTIONAL MATCH ()-[e7:PARTY_TO {id: $id}]->()
OPTIONAL MATCH ()-[e8:PART_OF {id: $id}]->()
OPTIONAL MATCH ()-[e9:TRANSIT_VIA {id: $id}]->()
WITH coalesce(n1, n2, n3, e1, e2, e3, e4, e5, e6, e7, e8, e9) AS x
WITH coalesce(x.evidence_sources, []) AS evidence, coalesce(x.quotes, []) AS quotes
UNWIND range(0, size(evidence) - 1) AS i
MATCH (s:Source {id: evidence[i]})
RETURN DISTINCT s.id AS source_id,
       s.url AS url,
       s.title AS title,
       s.published AS published,
       quotes[i] AS quote
ORDER BY published, source_id, quote
