// name: 09-pending
// question: Which agreements were requested or are being negotiated, but not (yet) agreed?
// params: (none)
// columns: agreement, host, asked_by, kind, status, first_reported
MATCH (g:Agreement)
WHERE g.status IN ['requested', 'negotiating']
OPTIONAL MATCH (host:Country {iso3: g.host})
RETURN g.id AS agreement,
       host.name AS host,
       g.deporter AS asked_by,
       g.kind AS kind,
       g.status AS status,
       g.first_seen AS first_reported
ORDER BY agreement
