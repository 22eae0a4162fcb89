// name: evidence
// question: Which articles and sentences support this node or edge?
// params: id
// columns: source_id, url, title, published, path, quote
// One row per (evidence source, quote) pair: the i-th quote came from the i-th evidence source.
// Nodes are looked up per label that carries provenance, so that each label's id index is used.
// An edge id reads TYPE:SOURCE->TARGET; the edge is found among the outgoing edges of its source
// node (found by id the same way), never by scanning every edge of the graph.
WITH split($id, '->') AS ends
WITH CASE WHEN size(ends) = 2 AND ends[0] CONTAINS ':'
            THEN substring(ends[0], size(split(ends[0], ':')[0]) + 1) END AS from_id
OPTIONAL MATCH (n1:Agency {id: $id})
OPTIONAL MATCH (n2:Official {id: $id})
OPTIONAL MATCH (n3:Agreement {id: $id})
OPTIONAL MATCH (f1:Country {id: from_id})
OPTIONAL MATCH (f2:Agency {id: from_id})
OPTIONAL MATCH (f3:Official {id: from_id})
OPTIONAL MATCH (f4:Agreement {id: from_id})
WITH coalesce(n1, n2, n3) AS node, coalesce(f1, f2, f3, f4) AS from_node
OPTIONAL MATCH (from_node)-[e]->()
WHERE e.id = $id
WITH coalesce(node, e) AS x
WITH coalesce(x.evidence_sources, []) AS evidence, coalesce(x.quotes, []) AS quotes
UNWIND range(0, size(evidence) - 1) AS i
MATCH (s:Source {id: evidence[i]})
RETURN DISTINCT s.id AS source_id,
       s.url AS url,
       s.title AS title,
       s.published AS published,
       s.path AS path,
       quotes[i] AS quote
ORDER BY published, source_id, quote
