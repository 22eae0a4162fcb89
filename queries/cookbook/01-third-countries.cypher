// name: 01-third-countries
// question: Which third countries accept deportees who are not their own citizens, from whom, and of which nationalities?
// params: (none)
// columns: host, deported_by, non_citizens, people, status
// A third country is a host whose accepts edge is marked third_country; non_citizens are the
// nationalities named in the reporting, without the host's own.
MATCH (host:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(deporter:Country)
WHERE r.third_country = true
RETURN host.name AS host,
       deporter.name AS deported_by,
       [x IN coalesce(r.nationalities, []) WHERE x <> host.iso3] AS non_citizens,
       r.count AS people,
       r.status AS status
ORDER BY host, deported_by
