// name: 06-changed-since
// question: What was reported since a date: which facts are new, and which were confirmed again?
// params: since
// columns: last_seen, new, fact, subject, object, status
// example: -p since=2025-07-01
// Dates are ISO strings (YYYY-MM-DD), so they compare as text. new: first reported on or after $since.
MATCH (a)-[r]->(b)
WHERE r.last_seen >= $since
  AND type(r) IN ['ACCEPTS_DEPORTEES_FROM', 'PAID', 'FUNDED_BY', 'BLOCKED_BY', 'ALLOWED_BY', 'ACTED_IN', 'NEGOTIATED', 'TRANSIT_VIA']
RETURN r.last_seen AS last_seen,
       r.first_seen >= $since AS new,
       type(r) AS fact,
       a.id AS subject,
       b.id AS object,
       r.status AS status
ORDER BY last_seen, fact, subject, object
