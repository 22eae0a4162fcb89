// name: third-countries
// question: Which third countries accept deportees who are not their own nationals?
// params: (none)
// columns: country, iso3, accepts_from, nationalities, status, sources
// A third country is a host with at least one ACCEPTS_DEPORTEES_FROM edge marked third_country.
// Its Country node carries the summary of those edges, computed whenever the graph is built from
// the store (graph/third_countries.py): the countries it accepts deportees from, the nationalities
// named, the most advanced status (implemented > agreed > negotiating > requested > ended > blocked
// > refused) and the distinct articles behind them. Reading the summary, not every edge's lists,
// keeps this question fast on a large graph; cookbook/11-third-country-hosts.cypher derives the
// same from the edges.
MATCH (h:Country)
WHERE h.third_country_sources IS NOT NULL
RETURN h.name AS country,
       h.iso3 AS iso3,
       coalesce(h.third_country_from, []) AS accepts_from,
       coalesce(h.third_country_nationalities, []) AS nationalities,
       h.third_country_status AS status,
       h.third_country_sources AS sources
ORDER BY country, iso3
