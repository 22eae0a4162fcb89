// name: 11-third-country-hosts
// question: Which third countries accept non-citizens, derived from the accepts edges themselves?
// params: (none)
// columns: country, iso3, accepts_from, nationalities, status, sources
// The named question third-countries reads a summary kept on each host's Country node; this
// derives the same rows from the ACCEPTS_DEPORTEES_FROM edges, so it also holds after the graph
// was changed by hand. Each edge lists at most 200 of its sources (n_sources is its exact count),
// so past that sources is a floor: never below the best-supported edge's n_sources. It reads
// every third-country edge's lists: expect ~0.4 s on a graph of 7,000 such edges.
MATCH (h:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(:Country)
WHERE r.third_country = true
UNWIND CASE WHEN size(coalesce(r.sources, [])) = 0 THEN [null] ELSE r.sources END AS source
WITH h, count(DISTINCT source) AS listed
MATCH (h)-[r:ACCEPTS_DEPORTEES_FROM]->(:Country)
WHERE r.third_country = true
UNWIND CASE WHEN size(coalesce(r.nationalities, [])) = 0 THEN [null] ELSE r.nationalities END AS nationality
WITH DISTINCT h, listed, nationality
ORDER BY nationality
WITH h, listed, collect(nationality) AS nationalities
MATCH (h)-[r:ACCEPTS_DEPORTEES_FROM]->(d:Country)
WHERE r.third_country = true
WITH h, listed, nationalities, d.iso3 AS from_iso3, coalesce(r.n_sources, 0) AS edge_sources,
     CASE r.status
       WHEN 'implemented' THEN 7 WHEN 'agreed' THEN 6 WHEN 'negotiating' THEN 5
       WHEN 'requested' THEN 4 WHEN 'ended' THEN 3 WHEN 'blocked' THEN 2 WHEN 'refused' THEN 1
       ELSE 0 END AS edge_rank
ORDER BY from_iso3
WITH h, listed, nationalities, collect(DISTINCT from_iso3) AS accepts_from, max(edge_rank) AS rank,
     max(edge_sources) AS most
RETURN h.name AS country,
       h.iso3 AS iso3,
       accepts_from,
       nationalities,
       CASE rank
         WHEN 7 THEN 'implemented' WHEN 6 THEN 'agreed' WHEN 5 THEN 'negotiating'
         WHEN 4 THEN 'requested' WHEN 3 THEN 'ended' WHEN 2 THEN 'blocked' WHEN 1 THEN 'refused'
         ELSE null END AS status,
       CASE WHEN most > listed THEN most ELSE listed END AS sources
ORDER BY country, iso3
