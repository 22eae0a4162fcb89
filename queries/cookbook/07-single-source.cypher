// name: 07-single-source
// question: Which facts rest on a single article?
// params: (none)
// columns: fact, subject, object, confidence, published, only_source
// Facts confirmed by one source only are the first to check by hand.
MATCH (a)-[r]->(b)
WHERE r.n_sources = 1
  AND type(r) IN ['ACCEPTS_DEPORTEES_FROM', 'PAID', 'FUNDED_BY', 'BLOCKED_BY', 'ALLOWED_BY', 'ACTED_IN', 'NEGOTIATED', 'TRANSIT_VIA']
MATCH (s:Source {id: r.sources[0]})
RETURN type(r) AS fact,
       a.id AS subject,
       b.id AS object,
       r.confidence AS confidence,
       s.published AS published,
       s.title AS only_source
ORDER BY fact, subject, object
