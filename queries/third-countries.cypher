// name: third-countries
// question: Which third countries accept deportees who are not their own nationals?
// params: (none)
// columns: country, iso3, accepts_from, nationalities, status, sources
// A third country is a host with at least one ACCEPTS_DEPORTEES_FROM edge marked third_country.
// status is the most advanced across those edges:
// implemented > agreed > negotiating > requested > ended > blocked > refused.
// Each edge becomes items tagged from/nationality/source; sorting them by value once sorts every
// list collected from them. An edge always yields its 'from' item, so no host is lost.
MATCH (h:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(d:Country)
WHERE r.third_country = true
UNWIND [['from', d.iso3]]
       + [x IN coalesce(r.nationalities, []) | ['nationality', x]]
       + [x IN coalesce(r.sources, []) | ['source', x]] AS item
WITH h, r.status AS edge_status, item[0] AS kind, item[1] AS value
ORDER BY value
WITH h,
     collect(DISTINCT CASE kind WHEN 'from' THEN value END) AS accepts_from,
     collect(DISTINCT CASE kind WHEN 'nationality' THEN value END) AS nationalities,
     count(DISTINCT CASE kind WHEN 'source' THEN value END) AS sources,
     max(CASE edge_status
           WHEN 'implemented' THEN 7 WHEN 'agreed' THEN 6 WHEN 'negotiating' THEN 5
           WHEN 'requested' THEN 4 WHEN 'ended' THEN 3 WHEN 'blocked' THEN 2 WHEN 'refused' THEN 1
           ELSE 0 END) AS rank
RETURN h.name AS country,
       h.iso3 AS iso3,
       accepts_from,
       nationalities,
       CASE rank
         WHEN 7 THEN 'implemented' WHEN 6 THEN 'agreed' WHEN 5 THEN 'negotiating'
         WHEN 4 THEN 'requested' WHEN 3 THEN 'ended' WHEN 2 THEN 'blocked' WHEN 1 THEN 'refused'
         ELSE null END AS status,
       sources
ORDER BY iso3
