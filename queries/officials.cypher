// name: officials
// question: Which officials appear in the reporting, with their title, country and agency?
// params: (none)
// columns: name, title, iso3, agency, sources
// agency is the (alphabetically first) Agency the official holds office in, or null.
MATCH (o:Official)
OPTIONAL MATCH (o)-[:HOLDS_OFFICE]->(a:Agency)
WITH o, min(a.name) AS agency
RETURN o.name AS name,
       o.titles[0] AS title,
       o.country_iso3 AS iso3,
       agency,
       coalesce(o.n_sources, 0) AS sources
ORDER BY name, o.id
