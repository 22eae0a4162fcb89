// name: evidence
// question: Which articles and sentences support this node or edge?
// params: id
// columns: source_id, url, title, published, quote
// One row per (evidence source, quote) pair: the i-th quote came from the i-th evidence source.
// Each node label that carries provenance is looked up on its own so that its id index is used;
// edges are found by one scan over all relationships (a typed lookup would need every type's index).
OPTIONAL MATCH (n1:Agency {id: $id})
OPTIONAL MATCH (n2:Official {id: $id})
OPTIONAL MATCH (n3:Agreement {id: $id})
OPTIONAL MATCH ()-[e {id: $id}]->()
WITH coalesce(n1, n2, n3, e) AS x
WITH coalesce(x.evidence_sources, []) AS evidence, coalesce(x.quotes, []) AS quotes
UNWIND range(0, size(evidence) - 1) AS i
MATCH (s:Source {id: evidence[i]})
RETURN DISTINCT s.id AS source_id,
       s.url AS url,
       s.title AS title,
       s.published AS published,
       quotes[i] AS quote
ORDER BY published, source_id, quote
