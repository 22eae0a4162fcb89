// name: 12-acting-agencies
// question: Which agencies carried out or announced which arrangements?
// params: (none)
// columns: agency, country, role, agreement, status, sources, reported
// role is what the agency did in most of its sources: "carried out" (it removed or received the
// people) or "announced" (it spoke for the arrangement); roles lists every role read.
MATCH (a:Agency)-[r:ACTED_IN]->(g:Agreement)
RETURN a.name AS agency,
       a.country_iso3 AS country,
       r.role AS role,
       g.id AS agreement,
       g.status AS status,
       r.n_sources AS sources,
       r.first_seen AS reported
ORDER BY agency, agreement
