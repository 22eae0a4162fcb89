// name: funding
// question: Who funds each agreement (removals, flights, reception)?
// params: (none)
// columns: agreement, funder, funder_id, sources
// dated: f
MATCH (g:Agreement)-[f:FUNDED_BY]->(x)
RETURN g.id AS agreement,
       x.name AS funder,
       x.id AS funder_id,
       coalesce(f.n_sources, 0) AS sources
ORDER BY agreement, funder_id, f.id
