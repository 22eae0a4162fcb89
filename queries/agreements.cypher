// name: agreements
// question: Which deportation agreements are reported, between whom, and how far along are they?
// params: (none)
// columns: id, kind, parties, status, dates, sources
// dated: g
MATCH (g:Agreement)
RETURN g.id AS id,
       g.kind AS kind,
       g.parties AS parties,
       g.status AS status,
       g.dates AS dates,
       coalesce(g.n_sources, 0) AS sources
ORDER BY id
