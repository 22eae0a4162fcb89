// name: third-countries
// question: Which third countries accept deportees who are not their own nationals?
// params: (none)
// columns: country, iso3, accepts_from, nationalities, status, sources
// A third country is a host with at least one ACCEPTS_DEPORTEES_FROM edge marked third_country.
// status is the most advanced across those edges:
// implemented > agreed > negotiating > requested > ended > blocked > refused.
// Lists are sorted (and de-duplicated) with reduce, which every engine supports.
MATCH (h:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(d:Country)
WHERE r.third_country = true
WITH h,
     collect(DISTINCT d.iso3) AS froms,
     collect(r.nationalities) AS nationality_lists,
     collect(r.sources) AS source_lists,
     max(CASE r.status
           WHEN 'implemented' THEN 7 WHEN 'agreed' THEN 6 WHEN 'negotiating' THEN 5
           WHEN 'requested' THEN 4 WHEN 'ended' THEN 3 WHEN 'blocked' THEN 2 WHEN 'refused' THEN 1
           ELSE 0 END) AS rank
WITH h, froms, rank,
     reduce(acc = [], l IN nationality_lists | acc + l) AS nats,
     reduce(acc = [], l IN source_lists | acc + l) AS srcs
RETURN h.name AS country,
       h.iso3 AS iso3,
       reduce(acc = [], x IN froms |
         [y IN acc WHERE y < x] + [x] + [y IN acc WHERE y > x]) AS accepts_from,
       reduce(acc = [], x IN nats |
         CASE WHEN x IN acc THEN acc ELSE [y IN acc WHERE y < x] + [x] + [y IN acc WHERE y > x] END)
         AS nationalities,
       CASE rank
         WHEN 7 THEN 'implemented' WHEN 6 THEN 'agreed' WHEN 5 THEN 'negotiating'
         WHEN 4 THEN 'requested' WHEN 3 THEN 'ended' WHEN 2 THEN 'blocked' WHEN 1 THEN 'refused'
         ELSE null END AS status,
       size(reduce(acc = [], x IN srcs | CASE WHEN x IN acc THEN acc ELSE acc + [x] END)) AS sources
ORDER BY iso3
