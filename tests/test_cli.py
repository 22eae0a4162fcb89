"""The command line, end to end on a real store and the real embedded FalkorDB."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli

from .conftest import ROOT, write_article


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    store = tmp_path_factory.mktemp("cli") / "g.db"
    result = CliRunner().invoke(cli, ["ingest", "--store", str(store), "-q", str(examples_dir)])
    assert result.exit_code == 0, result.output
    assert "read 10 articles: 10 added" in result.output
    return store


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_query_json_has_the_contract_keys(built: Path) -> None:
    code, out = run("query", "third-countries", "--store", str(built), "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert rows and all(list(r)[:6] == ["country", "iso3", "accepts_from", "nationalities", "status", "sources"]
                        for r in rows)
    assert all(isinstance(r["sources"], int) and isinstance(r["nationalities"], list) for r in rows)


def test_query_csv_and_table(built: Path) -> None:
    code, out = run("query", "accepts", "--store", str(built), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"host", "host_iso3", "from", "from_iso3", "nationalities", "count", "status", "third_country",
            "sources"} <= set(rows[0])
    code, out = run("query", "payments", "--store", str(built))
    assert code == 0 and out.splitlines()[0].split()[:2] == ["payer", "payer_id"]


def test_query_list_names_every_question() -> None:
    code, out = run("query", "--list")
    assert code == 0
    for name in ("third-countries", "accepts", "payments", "funding", "officials", "agreements", "evidence"):
        assert name in out


def test_evidence_for_an_edge(built: Path) -> None:
    code, out = run("query", "evidence", "--param", "id=PAID:USA->SLV", "--store", str(built), "--format", "json")
    assert code == 0, out
    rows = json.loads(out)
    assert rows and all("$6 million" in r["quote"] for r in rows)
    assert rows[0]["url"].startswith("https://example.org/deportgraph/")


def test_cypher_is_read_only_unless_write(built: Path) -> None:
    code, out = run("cypher", "MATCH (c:Country {iso3: $iso}) RETURN c.name AS name", "-p", "iso=UZB",
                    "--store", str(built), "--format", "json")
    assert code == 0 and json.loads(out) == [{"name": "Uzbekistan"}]
    code, out = run("cypher", "CREATE (:Country {iso3: 'ZZZ'})", "--store", str(built))
    assert code != 0
    code, out = run("cypher", "MATCH (c:Country {iso3: 'ZZZ'}) RETURN count(c) AS n", "--store", str(built),
                    "--format", "json")
    assert json.loads(out) == [{"n": 0}]


def test_stats(built: Path) -> None:
    code, out = run("stats", "--store", str(built), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["articles"] == {"read": 10, "relevant": 10, "with_facts": 9}
    assert data["nodes"]["Country"] > 10 and data["edges"]["ACCEPTS_DEPORTEES_FROM"] > 10


def test_export_json_and_graphml(built: Path, tmp_path: Path) -> None:
    assert run("export", "json", str(tmp_path / "g.json"), "--store", str(built))[0] == 0
    assert run("export", "json", str(tmp_path / "h.json"), "--store", str(built))[0] == 0
    assert (tmp_path / "g.json").read_bytes() == (tmp_path / "h.json").read_bytes()
    assert run("export", "graphml", str(tmp_path / "g.graphml"), "--store", str(built))[0] == 0
    import networkx as nx

    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.has_node("UZB") and g.number_of_edges() > 20
    assert (g.nodes["UZB"]["label"], g.nodes["UZB"]["kind"]) == ("Uzbekistan", "Country")
    quotes = [json.loads(d["quotes"]) for _, _, d in g.edges(data=True) if "quotes" in d]
    assert quotes and all(isinstance(q, list) and all(isinstance(x, str) for x in q) for q in quotes)


def test_bad_files_are_reported_and_the_rest_is_stored(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_article(tmp_path / "in", "good.txt", "Kosovo agreed to accept fifty deportees from the United States.")
    (tmp_path / "in" / "bad.json").write_text("{oops", encoding="utf-8")
    (tmp_path / "in" / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    store = tmp_path / "g.db"
    result = CliRunner().invoke(cli, ["ingest", "-q", "--store", str(store), str(tmp_path / "in")])
    assert result.exit_code == 0
    assert "bad.json: is not valid JSON" in result.output and "blob.txt: looks binary" in result.output
    assert "1 added" in result.output and "2 files or records skipped" in result.output
    code, out = run("query", "accepts", "--store", str(store), "--format", "json")
    assert code == 0 and [r["host_iso3"] for r in json.loads(out)] == ["XKX"]


def test_an_ingest_that_reads_nothing_fails_and_says_why(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    code, out = run("ingest", "-q", "--store", str(store), str(tmp_path / "nope"), str(tmp_path / "nope2"))
    assert code != 0 and "nope does not exist" in out and "nope2 does not exist" in out
    assert not store.exists()  # no empty store left behind
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    code, out = run("ingest", "-q", "--store", str(store), str(tmp_path / "bad.jsonl"))
    assert code != 0 and "bad.jsonl:1: is not valid JSON" in out and "nothing could be read" in out
    code, out = run("ingest", "-q", "--store", str(tmp_path / "no" / "such" / "g.db"), str(tmp_path / "bad.jsonl"))
    assert code == 1 and "does not exist (create it first)" in out and "Traceback" not in out


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path: Path) -> None:
    code, out = run("query", "third-countries", "--store", str(tmp_path / "missing.db"))
    assert code == 1 and "no store here yet" in out and "Traceback" not in out
    code, out = run("query", "no-such-question")
    assert code == 2 and "query --list" in out
    store = tmp_path / "g.db"
    CliRunner().invoke(cli, ["ingest", "-q", "--store", str(store), "-"], input="Rwanda took in deportees from "
                       "the U.S.")
    code, out = run("cypher", "MATCH (n RETURN n", "--store", str(store))
    assert code == 1 and "Error" in out and "Traceback" not in out
    code, out = run("query", "evidence", "--store", str(store))
    assert code == 1 and "missing parameter" in out


def test_stdin_ingest(tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    result = CliRunner().invoke(cli, ["ingest", "-q", "--store", str(store), "-"],
                                input='{"text": "Panama received 300 migrants deported from the United States."}')
    assert result.exit_code == 0 and "1 added" in result.output


def test_export_html_whole_focus_and_query(built: Path, tmp_path: Path) -> None:
    code, out = run("export", "html", str(tmp_path / "all.html"), "--store", str(built))
    assert code == 0 and "nodes" in out
    page = (tmp_path / "all.html").read_text(encoding="utf-8")
    assert "<script src=" not in page.replace("<script src=\"data:", "") and "Uzbekistan" in page
    code, out = run("export", "html", str(tmp_path / "tc.html"), "--query", "third-countries", "--store", str(built))
    assert code == 0
    third = (tmp_path / "tc.html").read_text(encoding="utf-8")
    assert "Kosovo" in third and "Tricia McLaughlin" not in third and "Tricia McLaughlin" in page
    import re

    data = json.loads(re.search(r'<script id="dg-data" type="application/json">(.*?)</script>', third, re.S).group(1))
    accepts = [e for e in data["edges"] if e["type"] == "ACCEPTS_DEPORTEES_FROM"]
    assert accepts and all(e.get("status") != "refused" for e in accepts)
    assert not any(e["from"] == "IRN" for e in accepts)  # Iran took back its own nationals: no third country
    code, out = run("export", "html", str(tmp_path / "f.html"), "--focus", "Atlantis", "--store", str(built))
    assert code == 1 and "no node matches 'Atlantis'" in out


def test_explain_lists_every_sentence_and_rule(built: Path) -> None:
    code, out = run("explain", "ACCEPTS_DEPORTEES_FROM:UZB->USA", "--store", str(built), "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["quote"] and "@" in r["extractor"] for r in rows)
    assert any("Uzbekistan" in r["quote"] for r in rows)
    code, out = run("explain", "NOPE", "--store", str(built))
    assert code == 1 and "no node or edge with id 'NOPE'" in out


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_metadata_sidecar_gives_plain_files_their_provenance(tmp_path: Path, jobs: str) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kosovo agreed to accept fifty deportees from the United States.\n", encoding="utf-8")
    (folder / "b.txt").write_text("Rwanda took in seven deportees from the United States on Friday.\n",
                                  encoding="utf-8")
    sidecar = tmp_path / "meta.csv"
    sidecar.write_text("file,url,title,publisher,published\n"
                       "a.txt,https://example.org/a,Kosovo deal,Example Wire,2025-06-12\n"
                       f"{folder / 'b.txt'},https://example.org/b,Rwanda takes seven,Other Wire,\"Aug 15, 2025\"\n",
                       encoding="utf-8")
    store = tmp_path / "g.db"
    code, out = run("ingest", "-q", "--jobs", jobs, "--store", str(store), "--metadata", str(sidecar), str(folder))
    assert code == 0, out
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:RWA->USA", "--store", str(store),
                    "--format", "json")
    [row] = json.loads(out)
    assert (row["url"], row["title"], row["published"]) == ("https://example.org/b", "Rwanda takes seven", "2025-08-15")
    bad = tmp_path / "bad.csv"
    bad.write_text("file,published\na.txt,someday\n", encoding="utf-8")
    code, out = run("ingest", "-q", "--store", str(store), "--metadata", str(bad), str(folder))
    assert code == 1 and "bad.csv:2" in out and "someday" in out


def test_explain_and_evidence_show_the_file_of_a_plain_article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("in").mkdir()
    Path("in/kosovo.txt").write_text("Kosovo agreed to accept fifty deportees from the United States.\n",
                                     encoding="utf-8")
    assert run("ingest", "-q", "--store", "g.db", "in")[0] == 0
    code, out = run("explain", "ACCEPTS_DEPORTEES_FROM:XKX->USA", "--store", "g.db", "--format", "json")
    assert code == 0 and {r["path"] for r in json.loads(out)} == {"in/kosovo.txt"}
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:XKX->USA", "--store", "g.db",
                    "--format", "json")
    assert code == 0 and {r["path"] for r in json.loads(out)} == {"in/kosovo.txt"}


def test_small_mistakes_get_answers_that_help(built: Path, tmp_path: Path) -> None:
    store = ["--store", str(built)]
    code, out = run("cypher", "-f", str(ROOT / "queries" / "cookbook" / "06-changed-since.cypher"), *store)
    assert code == 2 and "since" in out and "-p since=" in out
    code, out = run("query", "third-countrys", *store)
    assert code == 2 and "did you mean 'third-countries'" in out
    code, out = run("query", "evidence", "-p", "id=NOPE", *store)
    assert code == 1 and "no node or edge with id 'NOPE'" in out
    code, out = run("explain", "SWZ", *store, "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and all("SWZ" in r["about"] for r in rows)
    code, out = run("query", "third-countries", *store, "--format", "json")
    names = [r["country"] for r in json.loads(out)]
    assert names == sorted(names)


def test_an_absent_dask_scheduler_is_said_in_one_line(tmp_path: Path) -> None:
    import time

    write_article(tmp_path, "a.txt", "Kosovo agreed to accept fifty deportees from the United States.")
    start = time.monotonic()
    code, out = run("ingest", "-q", "--store", str(tmp_path / "g.db"), "--scheduler", "tcp://127.0.0.1:9",
                    str(tmp_path / "a.txt"))
    assert code == 1 and "no Dask scheduler answers at tcp://127.0.0.1:9" in out and "Traceback" not in out
    assert time.monotonic() - start < 20


def test_profile_of_a_country_in_every_format(built: Path) -> None:
    code, out = run("profile", "El Salvador", "--store", str(built), "--format", "json")
    data = json.loads(out)
    assert code == 0 and (data["country"], data["iso3"]) == ("El Salvador", "SLV")
    [deal] = [a for a in data["arrangements"] if a["partner"] == "United States"]
    assert deal["role"] == "host" and deal["status"] == "implemented" and "VEN" in deal["nationalities"]
    assert any(h.endswith("implemented") for h in deal["history"]) and deal["sources"] >= 1
    assert data["totals"]["received_usd"] == 6_000_000 and data["payments"][0]["direction"] == "received"
    assert any(o["name"] == "Nayib Bukele" for o in data["officials"])
    code, md = run("profile", "slv", "--store", str(built), "--format", "md")
    assert code == 0 and md.startswith("# El Salvador (SLV)") and "| host | United States | implemented |" in md
    code, table = run("profile", "SLV", "--store", str(built))
    assert code == 0 and "received USD 6,000,000" in table and "arrangements:" in table
    code, out = run("profile", "Atlantis", "--store", str(built))
    assert code == 1 and "no country called 'Atlantis'" in out


def test_timeline_lists_dated_steps_oldest_first_with_sources(built: Path) -> None:
    code, out = run("timeline", "SSD", "--store", str(built), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and rows and all(r["agreement"] == "agr-SSD-USA" for r in rows)
    assert any(r["status"] == "blocked" for r in rows) and all(r["sources"] for r in rows)
    code, out = run("timeline", "--store", str(built), "--format", "json")
    dates = [r["date"] for r in json.loads(out)]
    assert code == 0 and dates == sorted(dates, key=lambda d: d or "9999")
    code, out = run("timeline", "agr-USA-UZB", "--store", str(built), "--format", "json")
    assert code == 0 and {r["agreement"] for r in json.loads(out)} == {"agr-USA-UZB"}


def test_a_query_with_no_rows_names_labels_and_properties_the_graph_lacks(built: Path) -> None:
    result = CliRunner().invoke(cli, ["cypher", "MATCH (c:Countri) WHERE c.nme = 'x' RETURN c.name",
                                      "--store", str(built)])
    assert result.exit_code == 0 and "(no rows)" in result.output
    assert "'Countri' (did you mean 'Country'?)" in result.output and "'nme' (did you mean 'name'?)" in result.output
    result = CliRunner().invoke(cli, ["cypher", "MATCH (c:Country {iso3: 'ZZZ'}) RETURN c.name", "--store",
                                      str(built)])
    assert result.exit_code == 0 and "did you mean" not in result.output


def test_a_table_that_cuts_cells_says_how_to_see_them_whole(built: Path) -> None:
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:UZB->USA", "--store", str(built))
    assert code == 0 and "…" in out and "--format json or csv gives them whole" in out


def test_query_takes_a_date_range(built: Path) -> None:
    code, out = run("query", "accepts", "--since", "2025-07-01", "--store", str(built), "--format", "json")
    hosts = {r["host_iso3"] for r in json.loads(out)}
    assert code == 0 and "RWA" in hosts and "UZB" not in hosts  # UZB was last reported in May
    code, out = run("query", "accepts", "--since", "July", "--store", str(built))
    assert code == 2 and "ISO date" in out


def test_exports_take_a_date_range(built: Path, tmp_path: Path) -> None:
    import networkx as nx

    store = ["--store", str(built), "--since", "2025-07-01"]
    assert run("export", "graphml", str(tmp_path / "r.graphml"), *store)[0] == 0
    g = nx.read_graphml(tmp_path / "r.graphml")
    assert g.has_node("RWA") and not g.has_node("UZB")  # Uzbekistan's flight was last reported in May
    assert all(g.nodes[n]["kind"] != "Official" or g.degree(n) for n in g)  # no one left without an edge
    assert run("export", "csv", str(tmp_path / "csv"), *store)[0] == 0
    rows = list(csv.reader((tmp_path / "csv" / "nodes-Country.csv").read_text(encoding="utf-8").splitlines()))[1:]
    assert {r[0] for r in rows} >= {"RWA", "USA"} and "UZB" not in {r[0] for r in rows}
    code, out = run("export", "cypher", str(tmp_path / "r.cypher"), *store)
    whole = run("export", "cypher", str(tmp_path / "all.cypher"), "--store", str(built))[1]
    assert code == 0 and int(out.split(": ")[1].split()[0]) < int(whole.split(": ")[1].split()[0])
    code, out = run("export", "json", str(tmp_path / "r.json"), *store)
    assert code == 1 and "dump of the whole store" in out and not (tmp_path / "r.json").exists()


def test_csv_output_is_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    write_article(tmp_path, "a.md", "Kosovo agreed to accept fifty deportees from the United States.",
                  title='=HYPERLINK("http://evil.example","click")', publisher="@evil")
    store = ["--store", str(tmp_path / "g.db")]
    assert run("ingest", "-q", *store, str(tmp_path / "a.md"))[0] == 0
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:XKX->USA", *store, "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and row["title"].startswith("'=HYPERLINK")
    code, out = run("query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:XKX->USA", *store, "--format", "json")
    assert json.loads(out)[0]["title"].startswith("=HYPERLINK")  # the data itself is kept exact
