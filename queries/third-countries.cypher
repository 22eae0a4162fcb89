// name: third-countries
// question: Which third countries accept deportees who are not their own nationals?
// params: (none)
// columns: country, iso3, accepts_from, nationalities, status, sources
// A third country is a host with at least one ACCEPTS_DEPORTEES_FROM edge marked third_country.
// status is the most advanced across those edges:
// implemented > agreed > negotiating > requested > ended > blocked > refused.
// Lists are distinct and sorted (ORDER BY, then collect). An empty list unwinds to [null], which
// keeps the host's row; collect and count skip the null.
MATCH (h:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(:Country)
WHERE r.third_country = true
UNWIND CASE WHEN size(coalesce(r.sources, [])) = 0 THEN [null] ELSE r.sources END AS source
WITH h,
     count(DISTINCT source) AS sources,
     max(CASE r.status
           WHEN 'implemented' THEN 7 WHEN 'agreed' THEN 6 WHEN 'negotiating' THEN 5
           WHEN 'requested' THEN 4 WHEN 'ended' THEN 3 WHEN 'blocked' THEN 2 WHEN 'refused' THEN 1
           ELSE 0 END) AS rank
MATCH (h)-[r:ACCEPTS_DEPORTEES_FROM]->(d:Country)
WHERE r.third_country = true
WITH h, sources, rank, d.iso3 AS from_iso3
ORDER BY from_iso3
WITH h, sources, rank, collect(DISTINCT from_iso3) AS accepts_from
MATCH (h)-[r:ACCEPTS_DEPORTEES_FROM]->(:Country)
WHERE r.third_country = true
UNWIND CASE WHEN size(coalesce(r.nationalities, [])) = 0 THEN [null] ELSE r.nationalities END AS nationality
WITH h, sources, rank, accepts_from, nationality
ORDER BY nationality
WITH h, sources, rank, accepts_from, collect(DISTINCT nationality) AS nationalities
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
