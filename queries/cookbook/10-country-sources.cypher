// name: 10-country-sources
// question: Which articles report on a country, and which kinds of fact does each give?
// params: iso3
// columns: published, title, facts, url
// example: -p iso3=SLV
MATCH (c:Country {iso3: $iso3})-[r]-()
UNWIND coalesce(r.sources, []) AS source_id
MATCH (s:Source {id: source_id})
WITH s, type(r) AS fact
ORDER BY fact
RETURN s.published AS published,
       s.title AS title,
       collect(DISTINCT fact) AS facts,
       s.url AS url
ORDER BY published, title
