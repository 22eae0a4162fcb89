"""The facts a researcher must get, end to end: articles -> store -> embedded FalkorDB -> named questions.

Run on the project's own example articles, and on the seed articles beside the repository
(``../shared/seeds``) when they are there.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from deportgraph.graph.ingest import ingest
from deportgraph.graph.store import Store
from deportgraph.queries.engine import open_store_engine
from deportgraph.queries.named import run_named

from .conftest import EXAMPLES, SEEDS

NOT_THIRD_COUNTRIES = {"USA", "IRN", "QAT", "MEX", "COL"}


class Answers:
    """Every named question's rows for one store."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.rows = {name: run_named(engine, name) for name in
                     ("third-countries", "accepts", "payments", "funding", "officials", "agreements")}

    def evidence(self, target: str) -> list[dict[str, Any]]:
        return run_named(self.engine, "evidence", {"id": target})

    def third(self) -> dict[str, dict[str, Any]]:
        return {r["iso3"]: r for r in self.rows["third-countries"]}

    def accepts(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r["host_iso3"], r["from_iso3"]): r for r in self.rows["accepts"]}

    def payments(self) -> dict[tuple[str, str], dict[str, Any]]:
        return {(r["payer_id"], r["payee_id"]): r for r in self.rows["payments"]}

    def officials(self) -> dict[str, dict[str, Any]]:
        return {r["name"]: r for r in self.rows["officials"]}


def _answers(tmp: Path, folder: Path) -> Iterator[Answers]:
    with Store.open(tmp / "g.db") as store:
        report = ingest(store, [str(folder)])
        assert not report.errors
        with open_store_engine(store) as engine:
            yield Answers(engine)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answers]:
    yield from _answers(tmp_path_factory.mktemp("examples"), EXAMPLES)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Answers]:
    if not SEEDS.is_dir():
        pytest.skip(f"no seed articles at {SEEDS}")
    yield from _answers(tmp_path_factory.mktemp("seeds"), SEEDS)


@pytest.fixture(params=["examples", "seeds"])
def answers(request: pytest.FixtureRequest) -> Answers:
    return request.getfixturevalue(request.param)


def test_third_countries(answers: Answers) -> None:
    third = answers.third()
    assert {"UZB", "SLV", "CRI", "XKX", "RWA"} <= set(third)
    assert not NOT_THIRD_COUNTRIES & set(third)
    assert {"KAZ", "KGZ"} <= set(third["UZB"]["nationalities"])
    assert "VEN" in third["SLV"]["nationalities"]
    for iso3 in ("AGO", "MNG", "UKR"):
        assert iso3 not in third or third[iso3]["status"] == "requested"
    for iso3 in ("LBY", "SSD"):
        assert iso3 not in third or third[iso3]["status"] == "blocked"
    assert all(r["accepts_from"] == ["USA"] for r in third.values())


def test_accepts(answers: Answers) -> None:
    accepts = answers.accepts()
    assert accepts[("UZB", "USA")]["count"] == 131
    iran = accepts[("IRN", "USA")]
    assert iran["nationalities"] == ["IRN"] and iran["count"] == 100 and iran["third_country"] is False
    assert ("COL", "USA") in accepts and accepts[("COL", "USA")]["third_country"] is False
    assert not any(host == "USA" for host, _ in accepts)


def test_payments_and_funding(answers: Answers) -> None:
    payments = answers.payments()
    slv = payments[("USA", "SLV")]
    assert (slv["amount"], slv["currency"], slv["amount_usd"]) == (6_000_000, "USD", 6_000_000)
    assert ("USA", "RWA") in payments and payments[("USA", "RWA")]["amount"] is None
    funding = {(r["agreement"], r["funder_id"]) for r in answers.rows["funding"]}
    assert ("agr-USA-UZB", "UZB") in funding


def test_officials(answers: Answers) -> None:
    officials = answers.officials()
    expected = {"Kristi Noem": "USA", "Tricia McLaughlin": "USA", "Shavkat Mirziyoyev": "UZB",
                "Nayib Bukele": "SLV", "Donald Trump": "USA"}
    for name, iso3 in expected.items():
        assert officials[name]["iso3"] == iso3, name
    assert not any("Abrego" in name for name in officials)


def test_evidence_gives_the_sentence_of_each_fact(answers: Answers) -> None:
    checks: dict[str, str | tuple[str, ...]] = {
        "ACCEPTS_DEPORTEES_FROM:UZB->USA": "Uzbekistan",
        "ACCEPTS_DEPORTEES_FROM:IRN->USA": "Iran",
        "PAID:USA->SLV": "6 million",
        "PAID:USA->RWA": ("pay", "paid", "compensat"),
        "FUNDED_BY:agr-USA-UZB->UZB": ("fund",),
        "kristi-noem": "Noem",
        "shavkat-mirziyoyev": "Mirziyoyev",
        "nayib-bukele": "Bukele",
        "tricia-mclaughlin": "McLaughlin",
        "donald-trump": "Trump",
    }
    for target, words in checks.items():
        words = (words,) if isinstance(words, str) else words
        rows = answers.evidence(target)
        assert rows, f"no evidence for {target}"
        assert all(r["quote"] and r["source_id"] for r in rows)
        assert any(w in r["quote"] for r in rows for w in words), (target, rows)


def test_the_article_without_an_agreement_gives_no_facts(examples: Answers, tmp_path: Path) -> None:
    with Store.open(tmp_path / "neg.db") as store:
        ingest(store, [str(EXAMPLES / "10-eu-asylum-statistics.md")])
        assert list(store.edges()) == []
