// name: 03-court-blocks
// question: Which agreements did a court block, and which court?
// params: (none)
// columns: agreement, host, deporter, court, status, reported
MATCH (g:Agreement)-[b:BLOCKED_BY]->(court:Agency)
OPTIONAL MATCH (host:Country {iso3: g.host})
RETURN g.id AS agreement,
       host.name AS host,
       g.deporter AS deporter,
       court.name AS court,
       g.status AS status,
       b.first_seen AS reported
ORDER BY agreement, court
