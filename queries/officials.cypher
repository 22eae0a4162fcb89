// name: officials
// question: Which officials appear in the reporting, with their title, country and agency?
// params: (none)
// columns: name, title, iso3, agency, sources
// dated: o
// agency is the (alphabetically first) Agency the official holds office in, or null.
// Officials are put in the answer's order first, so that a page (query --limit) looks up the
// agencies of that page's officials only: the "// page" line is where the page clause goes.
MATCH (o:Official)
WITH o
ORDER BY o.name, o.id
// page
OPTIONAL MATCH (o)-[:HOLDS_OFFICE]->(a:Agency)
WITH o, min(a.name) AS agency
RETURN o.name AS name,
       o.titles[0] AS title,
       o.country_iso3 AS iso3,
       agency,
       coalesce(o.n_sources, 0) AS sources
ORDER BY name, o.id
