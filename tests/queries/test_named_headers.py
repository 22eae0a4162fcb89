"""Headers of the named .cypher files are checked against their text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from deportgraph.errors import QueryError
from deportgraph.queries.backends import EDGE_ENDPOINTS, NODE_LABELS
from deportgraph.queries.named import load_named_queries, read_named_query, return_columns, used_params
from deportgraph.vocabulary import STATUS_RANK, EdgeType, Label

GOOD = """// name: {name}
// question: Which countries?
// params: {params}
// columns: {columns}
MATCH (c:Country) WHERE c.iso3 = $iso3 // and not $other
RETURN DISTINCT c.name AS name, [x IN c.aliases | x] AS `aliases`, c.iso3 AS iso3 ORDER BY iso3
"""


def _write(
    tmp_path: Path, name: str = "good", params: str = "iso3", columns: str = "name, aliases, iso3"
) -> Path:
    path = tmp_path / f"{name}.cypher"
    path.write_text(GOOD.format(name=name, params=params, columns=columns), encoding="utf-8")
    return path


def test_package_queries_declare_what_they_return() -> None:
    # Columns are declared in each header only; the README's table of questions is built from them.
    queries = load_named_queries()
    assert {"third-countries", "accepts", "payments", "funding", "officials", "agreements", "evidence"} <= set(queries)
    assert all(q.columns == tuple(return_columns(q.text)) for q in queries.values())
    assert list(queries) == sorted(queries)
    assert queries["evidence"].params == ("id",)
    assert all(q.params == () for name, q in queries.items() if name != "evidence")
    assert all(q.question.endswith("?") and "ORDER BY" in q.text for q in queries.values())


def test_good_file_parses(tmp_path: Path) -> None:
    query = read_named_query(_write(tmp_path))
    assert (query.name, query.params, query.columns) == ("good", ("iso3",), ("name", "aliases", "iso3"))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"params": "(none)"}, r"bad\.cypher: header declares params \[\] but the query uses \['iso3'\]"),
        ({"params": "iso3, other"}, "declares params"),
        ({"columns": "name, iso3"}, r"bad\.cypher: header declares columns .* RETURN gives"),
        ({"columns": "name, iso3, aliases"}, "declares columns"),
    ],
)
def test_header_mismatch_is_caught(tmp_path: Path, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(QueryError, match=message):
        read_named_query(_write(tmp_path, "bad", **kwargs))


def test_name_must_match_file(tmp_path: Path) -> None:
    path = _write(tmp_path)
    path.rename(tmp_path / "other.cypher")
    with pytest.raises(QueryError, match=r"other\.cypher: header names it 'good'"):
        read_named_query(tmp_path / "other.cypher")


def test_missing_header_line(tmp_path: Path) -> None:
    path = tmp_path / "x.cypher"
    path.write_text("// name: x\nRETURN 1 AS one\n", encoding="utf-8")
    with pytest.raises(
        QueryError, match=r"x\.cypher: header is missing // question:, // params:, // columns:"
    ):
        read_named_query(path)


def test_unaliased_expression_is_rejected() -> None:
    with pytest.raises(QueryError, match="needs an alias"):
        return_columns("MATCH (n) RETURN n.name")


def test_params_in_strings_and_comments_do_not_count() -> None:
    text = "MATCH (n) WHERE n.a = '$x' AND n.b = \"$y\" /* $z */ AND n.c = $`w` RETURN n // $q"
    assert used_params(text) == ["w"]


def test_evidence_looks_up_every_label_with_provenance() -> None:
    text = load_named_queries()["evidence"].text
    for label in sorted(set(NODE_LABELS) - {"Country", "Source"}):
        assert f":{label} {{id: $id}}" in text


def test_status_ranking_matches_vocabulary() -> None:
    """The Cypher derivation of third-country hosts ranks statuses as the summary in Python does."""
    text = (Path(__file__).resolve().parents[2] / "queries" / "cookbook" / "11-third-country-hosts.cypher").read_text()
    ranks = {status: int(rank) for status, rank in re.findall(r"WHEN '(\w+)' THEN (\d)", text)}
    names = {int(rank): status for rank, status in re.findall(r"WHEN (\d) THEN '(\w+)'", text)}
    assert ranks == dict(STATUS_RANK)
    assert names == {rank: status for status, rank in STATUS_RANK.items()}


def test_schema_names_come_from_vocabulary() -> None:
    assert set(NODE_LABELS) == {label.value for label in Label}
    assert set(EDGE_ENDPOINTS) == {edge_type.value for edge_type in EdgeType}
