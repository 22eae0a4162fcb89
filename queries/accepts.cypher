// name: accepts
// question: Which countries accept people deported by which other countries, and on what terms?
// params: (none)
// columns: host, host_iso3, from, from_iso3, nationalities, count, status, third_country, sources
// dated: r
MATCH (h:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(d:Country)
RETURN h.name AS host,
       h.iso3 AS host_iso3,
       d.name AS `from`,
       d.iso3 AS from_iso3,
       r.nationalities AS nationalities,
       r.count AS count,
       r.status AS status,
       r.third_country AS third_country,
       coalesce(r.n_sources, 0) AS sources
ORDER BY host_iso3, from_iso3, r.id
