// name: evidence
// question: Which articles and sentences support this node or edge?
// params: id
// columns: source_id, url, title, published, quote
// One row per (evidence source, quote) pair: the i-th quote came from the i-th evidence source.
OPTIONAL MATCH (n {id: $id})
OPTIONAL MATCH ()-[e {id: $id}]->()
WITH CASE WHEN n IS NULL THEN e.evidence_sources ELSE n.evidence_sources END AS evidence,
     CASE WHEN n IS NULL THEN e.quotes ELSE n.quotes END AS quotes
WITH coalesce(evidence, []) AS evidence, coalesce(quotes, []) AS quotes
UNWIND range(0, size(evidence) - 1) AS i
MATCH (s:Source {id: evidence[i]})
RETURN DISTINCT s.id AS source_id,
       s.url AS url,
       s.title AS title,
       s.published AS published,
       quotes[i] AS quote
ORDER BY published, source_id, quote
