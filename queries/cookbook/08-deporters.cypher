// name: 08-deporters
// question: Which countries send deportees to the most host countries, how far along are those deals, and how many people were reported?
// params: (none)
// columns: deporter, hosts, third_countries, implemented, pending, blocked, people_reported
// pending: requested or negotiating; people_reported adds up the counts the articles give (null if none).
MATCH (host:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(deporter:Country)
RETURN deporter.name AS deporter,
       count(DISTINCT host) AS hosts,
       count(CASE WHEN r.third_country = true THEN 1 END) AS third_countries,
       count(CASE WHEN r.status = 'implemented' THEN 1 END) AS implemented,
       count(CASE WHEN r.status IN ['requested', 'negotiating'] THEN 1 END) AS pending,
       count(CASE WHEN r.status = 'blocked' THEN 1 END) AS blocked,
       CASE WHEN count(r.count) = 0 THEN null ELSE toInteger(sum(r.count)) END AS people_reported
ORDER BY hosts DESC, deporter
