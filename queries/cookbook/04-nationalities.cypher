// name: 04-nationalities
// question: Which nationalities were sent where, and by whom?
// params: (none)
// columns: nationality, sent_to, deported_by
// Only the nationalities an article names are known; a host appears once per nationality it received.
MATCH (host:Country)-[r:ACCEPTS_DEPORTEES_FROM]->(deporter:Country)
UNWIND coalesce(r.nationalities, []) AS nationality
WITH nationality, host, deporter
ORDER BY host.name, deporter.iso3
RETURN nationality,
       collect(DISTINCT host.name) AS sent_to,
       collect(DISTINCT deporter.iso3) AS deported_by
ORDER BY nationality
