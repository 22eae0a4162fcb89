// name: 02-payments
// question: Who paid whom, how much (also in US dollars), and for what?
// params: (none)
// columns: payer, payee, amount, currency, usd, purpose, reported
// Largest payments first; payments whose sum was not disclosed come last.
MATCH (payer)-[p:PAID]->(payee)
RETURN payer.name AS payer,
       payee.name AS payee,
       p.amount AS amount,
       p.currency AS currency,
       p.amount_usd AS usd,
       p.purpose AS purpose,
       p.first_seen AS reported
ORDER BY coalesce(p.amount_usd, -1.0) DESC, payer, payee
