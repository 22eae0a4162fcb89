// name: payments
// question: Who paid whom, how much, and for what?
// params: (none)
// columns: payer, payer_id, payee, payee_id, amount, currency, amount_usd, purpose, sources
// dated: p
// For a Country the id is its iso3; for an Agency, its slug. Unknown amounts are null.
// Every PAID edge has an id, so `p.id >= ''` keeps them all; it lets the engine start from the
// index on PAID ids (FalkorDB: an edge index scan) instead of visiting every node for its edges.
MATCH (a)-[p:PAID]->(b)
WHERE p.id >= ''
RETURN a.name AS payer,
       a.id AS payer_id,
       b.name AS payee,
       b.id AS payee_id,
       p.amount AS amount,
       p.currency AS currency,
       p.amount_usd AS amount_usd,
       p.purpose AS purpose,
       coalesce(p.n_sources, 0) AS sources
ORDER BY payer_id, payee_id, p.id
