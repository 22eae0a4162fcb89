// name: 05-negotiators
// question: Which officials negotiated which agreements, and in what office?
// params: (none)
// columns: official, title, office, agreement, status, reported
// office is the agency (or, failing one, the country) the official holds office in.
MATCH (o:Official)-[n:NEGOTIATED]->(g:Agreement)
OPTIONAL MATCH (o)-[:HOLDS_OFFICE]->(office)
WITH o, n, g, min(office.name) AS office
RETURN o.name AS official,
       o.title AS title,
       office,
       g.id AS agreement,
       g.status AS status,
       n.first_seen AS reported
ORDER BY official, agreement
