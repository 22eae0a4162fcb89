"""Rule-based extraction: an `Article` in, its `ArticleClaims` out.

A short pipeline of small stages, each a module of its own and testable alone:

1. `sentences` — sentence spans and the sentence model (mentions, country groups, roles);
2. `clauses` — a sentence cut into clauses at semicolons, relative clauses, quotes and coordination;
3. `mentions` — country groups and the role each plays in its clause (destination, origin, deporter…);
4. `context` — the document model: the article's main deporting state, what "the country" refers to,
   the country each person speaks for;
5. frames — `accepts`, `money` (payments, funding) and `officials` read facts from the roles;
6. `lifecycle` — each status mention with its event date and modality.

Extraction is a pure function of the article text and the pattern files: the same article
always gives the same claims, in the same order.
"""

from .facts import RULES_VERSION, agreement_id, official_id
from .pipeline import GATE_MIN_CHARS, extract, is_relevant
from .sentences import split_sentences

__all__ = ["GATE_MIN_CHARS", "RULES_VERSION", "agreement_id", "extract", "is_relevant", "official_id",
           "split_sentences"]
