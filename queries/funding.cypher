// name: funding
// question: Who funds each agreement (removals, flights, reception)?
// params: (none)
// columns: agreement, funder, funder_id, sources
MATCH (g:Agreement)-[f:FUNDED_BY]->(x)
RETURN g.id AS agreement,
       x.name AS funder,
       x.id AS funder_id,
       size(coalesce(f.sources, [])) AS sources
ORDER BY agreement, funder_id, f.id
