"""The ``deportgraph`` command: a thin layer that parses, calls the library and prints.

Library errors (`DeportgraphError`) become a one-line message on stderr and exit code 1;
usage mistakes get click's exit code 2. No tracebacks for user mistakes.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import json
import os
import re
import signal
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import click

from deportgraph.errors import DeportgraphError, LoaderError
from deportgraph.params import parse_param
from deportgraph.render import FORMATS, render

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_STORE = "deportgraph.db"
# Starting the embedded engine from its snapshot takes ~2 s on a store of a million articles;
# a kept engine answers the next command in ~0.4 s, and stops by itself when left idle.
DEFAULT_KEEP_ENGINE = 300.0


class ParamOption(click.ParamType):
    """``key=value`` with a typed value (numbers, lists, booleans as JSON; anything else as text)."""

    name = "key=value"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, Any]:
        if isinstance(value, tuple):
            return value
        try:
            return parse_param(value)
        except ValueError as err:
            self.fail(str(err), param, ctx)


def output_options(func: F) -> F:
    """The shared ``--format`` option of every command that prints rows."""
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="How to print the rows.")(func)


def store_option(func: F) -> F:
    """The shared ``--store`` option."""
    return click.option("--store", "store_path", type=click.Path(dir_okay=False, path_type=Path),
                        envvar="DEPORTGRAPH_STORE", default=DEFAULT_STORE, show_default=True,
                        help="The SQLite store file (or set DEPORTGRAPH_STORE).")(func)


def backend_options(func: F) -> F:
    """Which Cypher engine answers: the embedded FalkorDB, a FalkorDB server, or Neo4j."""
    func = click.option("--url", default=None,
                        help="FalkorDB server URL (redis://host:port) for --backend falkordb.")(func)
    func = click.option("--keep-engine", "keep_engine", type=click.FloatRange(min=0), default=DEFAULT_KEEP_ENGINE,
                        envvar="DEPORTGRAPH_KEEP_ENGINE", metavar="SECONDS", show_default=True,
                        help="Leave the embedded engine running this long after its last question, so the next "
                             "commands on the store answer at once; 0 stops it with the command "
                             "(env DEPORTGRAPH_KEEP_ENGINE).")(func)
    return click.option("--backend", type=click.Choice(["embedded", "falkordb", "neo4j"]), default="embedded",
                        show_default=True, help="The Cypher engine to ask.")(func)


_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _check_dates(since: str | None, until: str | None) -> None:
    for label, value in (("--since", since), ("--until", until)):
        if value is not None and not _ISO_DATE.fullmatch(value):
            raise click.UsageError(f"{label} takes an ISO date (2025, 2025-07 or 2025-07-01), not {value!r}")
INTERRUPTED = 130  # the shell's codes for a command ended by Ctrl-C (128 + SIGINT) and by SIGTERM
TERMINATED = 143


def handle_errors(func: F) -> F:
    """Turn library errors into a clear message and a non-zero exit code, and Ctrl-C into one line."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DeportgraphError as err:
            raise click.ClickException(str(err)) from None
        except KeyboardInterrupt as stop:
            word, code = ("terminated", TERMINATED) if isinstance(stop, Terminated) else ("interrupted", INTERRUPTED)
            click.echo(f"{word}{_INTERRUPT_HINTS.get(func.__name__, '')}", err=True)
            raise SystemExit(code) from None

    return wrapper  # type: ignore[return-value]


class Terminated(KeyboardInterrupt):
    """SIGTERM (a batch system's time limit, ``kill``), raised where the command is, like Ctrl-C."""


@contextlib.contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM ends the block as Ctrl-C would (cleanly: workers stopped, open transaction rolled back)."""

    def stop(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_INTERRUPT_HINTS = {
    "ingest": ": the store keeps every batch committed so far; run the same command again to finish "
              "(articles already stored are skipped)",
}


def _open_store(path: Path, must_exist: bool = True) -> Any:
    from deportgraph.graph.store import Store

    if must_exist and not path.exists():
        raise click.ClickException(f"{path}: no store here yet; run 'deportgraph ingest PATH' first "
                                   f"(or point --store / DEPORTGRAPH_STORE at your store)")
    return Store.open(path)


def _open_backend(store_path: Path, backend: str, url: str | None, keep_engine: float | None = None) -> Any:
    from deportgraph.queries.engine import open_backend

    store = _open_store(store_path) if backend == "embedded" else None
    try:
        engine = open_backend(backend, store=store, url=url, keep_alive=keep_engine)
    finally:
        if store is not None:
            store.close()
    if getattr(engine, "lagging", False):
        click.echo("note: an ingest is writing to this store; this answer is from the graph as it was before "
                   "(ask again once the ingest ends for the newest)", err=True)
    return engine


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deportgraph")
def cli() -> None:
    """Build a knowledge graph of deportation agreements from news articles, and query it."""


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the machine's cores).")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="A Dask scheduler (tcp://HOST:8786) to fan the work out to; needs deportgraph[dask].")
@click.option("--batch-size", default=1000, show_default=True, help="Articles per committed transaction.")
@click.option("--csv-text", default=None, metavar="COLUMN", help="The CSV column that holds the article text.")
@click.option("--metadata", "metadata_path", default=None, type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="A .csv or .jsonl sidecar: url, title, publisher, published for each 'file' "
                                   "(name or path) or source 'id', for collections whose files carry none.")
@click.option("--timeout", default=20.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              metavar="SECONDS", help="How long to wait for each URL.")
@click.option("--allow-private-urls", is_flag=True,
              help="Fetch URLs (and follow redirects) to loopback and private addresses too.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@handle_errors
def ingest(paths: tuple[str, ...], store_path: Path, jobs: int | None, scheduler: str | None, batch_size: int,
           csv_text: str | None, metadata_path: Path | None, timeout: float, allow_private_urls: bool,
           quiet: bool) -> None:
    """Read articles (files, folders, archives, feeds, URLs, or '-' for stdin) into the store.

    Formats: .txt/.md (optional front matter), .html, .json, .jsonl, .csv (each .jsonl/.csv also
    .gz or .zst), .warc(.gz), .zip, .tar(.gz), and RSS/Atom feeds (.rss, .atom, .xml: one article
    per entry). An http(s):// URL is fetched (at most 20 MB, 5 redirects) and read as a page or a
    feed. Bad files, records and URLs are reported and skipped; articles already stored are skipped.
    """
    from tqdm import tqdm

    from deportgraph.graph.ingest import default_jobs
    from deportgraph.graph.ingest import ingest as run_ingest
    from deportgraph.loaders.archives import ReadOptions

    def say(message: str) -> None:
        tqdm.write(message, file=sys.stderr)

    def warn(err: LoaderError) -> None:
        say(f"skipped {err.path}: {err.reason}")

    from deportgraph.loaders.metadata import read_metadata

    metadata = read_metadata(metadata_path) if metadata_path else None
    local = [p for p in paths if p != "-" and "://" not in p]
    if local and len(local) == len(paths) and not any(Path(p).exists() for p in local):
        raise click.UsageError("nothing to read: " + ", ".join(f"{p} does not exist" for p in local))
    with stopped_by_sigterm(), _open_store(store_path, must_exist=False) as store, tqdm(
            desc="articles", unit=" art", disable=quiet or None, file=sys.stderr, leave=False) as bar:

        def progress(report: Any) -> None:
            bar.update(report.read - bar.n)
            bar.set_postfix(relevant=report.relevant, with_facts=report.with_facts, refresh=False)

        report = run_ingest(store, paths, jobs=jobs or default_jobs(), scheduler=scheduler, batch_size=batch_size,
                            options=ReadOptions(text_column=csv_text, timeout=timeout,
                                                allow_private=allow_private_urls), metadata=metadata,
                            stdin=sys.stdin.buffer,
                            on_progress=progress, on_error=warn, on_wait=say)
    rate = report.read / report.seconds if report.seconds else 0.0
    click.echo(f"read {report.read} articles: {report.added} added, {report.already_stored} already stored, "
               f"{report.relevant} about deportation, {report.with_facts} with facts, {report.facts} facts; "
               f"{len(report.errors)} files or records skipped ({report.seconds:.1f} s, {rate:,.0f} articles/s)")
    click.echo(f"store: {store_path}")
    if report.read == 0 and report.errors:
        raise click.ClickException(f"nothing could be read: {len(report.errors)} files, records or URLs skipped")


@cli.command()
@click.argument("name", required=False)
@click.option("--param", "-p", "params", multiple=True, type=ParamOption(), help="A parameter, key=value.")
@click.option("--list", "list_", is_flag=True, help="List the named questions.")
@click.option("--limit", type=click.IntRange(min=0), default=None, help="At most this many rows (default: all).")
@click.option("--skip", type=click.IntRange(min=0), default=0, help="Leave out this many rows first (paging).")
@click.option("--since", default=None, metavar="DATE", help="Only facts last reported on or after DATE (ISO).")
@click.option("--until", default=None, metavar="DATE", help="Only facts first reported on or before DATE (ISO).")
@output_options
@store_option
@backend_options
@handle_errors
def query(name: str | None, params: tuple[tuple[str, Any], ...], list_: bool, limit: int | None, skip: int,
          since: str | None, until: str | None, fmt: str, store_path: Path, backend: str, url: str | None,
          keep_engine: float | None) -> None:
    """Ask a named question, e.g. 'deportgraph query third-countries'."""
    from deportgraph.queries.named import load_named_queries, run_named

    queries = load_named_queries()
    if list_ or not name:
        rows = [{"name": q.name, "question": q.question, "params": list(q.params)} for q in queries.values()]
        click.echo(render(rows, fmt, max_width=100), nl=False)
        return
    if name not in queries:
        close = difflib.get_close_matches(name, list(queries), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise click.UsageError(f"unknown question {name!r}; {hint}'deportgraph query --list' shows them all")
    _check_dates(since, until)
    with _open_backend(store_path, backend, url, keep_engine) as engine:
        rows = run_named(engine, name, dict(params), skip=skip, limit=limit, since=since, until=until)
    if not rows and name == "evidence" and backend == "embedded" and not skip:
        with _open_store(store_path) as store:
            store.explain(str(dict(params)["id"]))  # an id the store does not hold is said to be unknown
    click.echo(render(rows, fmt, columns=queries[name].columns), nl=False)


@cli.command()
@click.argument("statement", required=False)
@click.option("-f", "--file", "file", type=click.File("r", encoding="utf-8"), help="Read the query from a file.")
@click.option("--param", "-p", "params", multiple=True, type=ParamOption(), help="A parameter, key=value.")
@click.option("--write", is_flag=True,
              help="Allow the query to change the graph (a FalkorDB server or Neo4j: the embedded engine is "
                   "rebuilt from the store, so it takes no writes).")
@output_options
@store_option
@backend_options
@handle_errors
def cypher(statement: str | None, file: Any, params: tuple[tuple[str, Any], ...], write: bool, fmt: str,
           store_path: Path, backend: str, url: str | None, keep_engine: float | None) -> None:
    """Run any Cypher statement (read-only unless --write, which needs a FalkorDB server or Neo4j)."""
    text = file.read() if file else statement
    if not text or not text.strip():
        raise click.UsageError("give a Cypher statement, or -f FILE")
    from deportgraph.queries.named import used_params

    missing = sorted(set(used_params(text)) - {k for k, _ in params})
    if missing:
        raise click.UsageError(f"the statement uses parameter(s) not given: {', '.join(missing)} "
                               f"(give each as -p {missing[0]}=VALUE)")
    if write and backend == "embedded":
        raise click.UsageError(
            "the embedded engine is rebuilt from the store, so a write there would be lost at the next command; "
            "write to a server instead (--backend falkordb --url redis://HOST:PORT, or --backend neo4j), "
            "after 'deportgraph push' has copied the store's graph there")
    with _open_backend(store_path, backend, url, None if write else keep_engine) as engine:
        rows = engine.run(text, dict(params) or None, write=write)
    click.echo(render(rows, fmt), nl=False)
    if not rows:
        from deportgraph.graph.schema import graph_names
        from deportgraph.queries.named import unknown_names

        labels, properties = graph_names()
        unknown = unknown_names(text, labels, properties)
        if unknown:
            click.echo("no rows, and the graph has no " + "; no ".join(unknown), err=True)


@cli.command()
@click.argument("kind", type=click.Choice(["json", "graphml", "cypher", "csv", "html"]))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--dialect", type=click.Choice(["neo4j", "falkordb"]), default="neo4j", show_default=True,
              help="cypher: schema statements for Neo4j (constraints) or FalkorDB (indexes).")
@click.option("--array-delimiter", default="auto", show_default=True,
              help="csv: the character between list items (or TAB, or U+XXXX); 'auto' takes the first of "
                   "';', '|' and U+001F that no item holds. The import command printed gives neo4j-admin the same.")
@click.option("--focus", default=None, metavar="ISO3|NAME", help="html: only the neighbourhood of one node.")
@click.option("--query", "query_name", default=None, metavar="NAME",
              help="html: only the nodes a named question returns (e.g. third-countries).")
@click.option("--since", default=None, metavar="DATE", help="Only what was last reported on or after DATE (ISO).")
@click.option("--until", default=None, metavar="DATE", help="Only what was first reported on or before DATE (ISO).")
@store_option
@handle_errors
def export(kind: str, out: Path, dialect: str, array_delimiter: str, focus: str | None, query_name: str | None,
           since: str | None, until: str | None, store_path: Path) -> None:
    """Export the graph: json (a diffable dump of the store), graphml, cypher (a script for
    'cypher-shell -f'), csv (a folder of CSVs for 'neo4j-admin database import full') or html
    (one self-contained interactive page)."""
    from deportgraph.outputs import write_export

    _check_dates(since, until)
    with _open_store(store_path) as store:
        message = write_export(store, kind, out, dialect=dialect, array_delimiter=array_delimiter, focus=focus,
                               query=query_name, since=since, until=until)
    click.echo(message)


@cli.command()
@click.option("--backend", type=click.Choice(["neo4j", "falkordb"]), default="neo4j", show_default=True,
              help="Where to push: Neo4j (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD) or a FalkorDB server.")
@click.option("--url", default=None, help="FalkorDB server URL (redis://host:port) for --backend falkordb.")
@click.option("--wipe", is_flag=True, help="Delete the graph's nodes and edges there first (replace, not merge).")
@click.option("--batch-size", default=5000, show_default=True, type=click.IntRange(min=1),
              help="Rows per transaction.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@store_option
@handle_errors
def push(backend: str, url: str | None, wipe: bool, batch_size: int, quiet: bool, store_path: Path) -> None:
    """Sync the store into Neo4j (or a FalkorDB server): constraints and indexes, then nodes and edges.

    Idempotent: pushing twice changes nothing. Batches that hit a transient error are retried.
    """
    from tqdm import tqdm

    from deportgraph.queries.engine import open_backend
    from deportgraph.queries.push import PushStep
    from deportgraph.queries.push import push as run_push

    with _open_store(store_path) as store, open_backend(backend, url=url) as engine, tqdm(
            desc="push", unit=" rows", disable=quiet or None, file=sys.stderr, leave=False) as bar:

        def progress(step: PushStep) -> None:
            bar.total = step.total
            bar.update(step.done - bar.n)
            bar.set_postfix(stage=step.stage, refresh=False)

        report = run_push(store, engine, wipe=wipe, batch_size=batch_size, progress=progress)
    wiped = f" (after deleting {report.wiped} nodes)" if wipe else ""
    click.echo(f"pushed {report.nodes} nodes and {report.edges} edges to {report.target} "
               f"in {report.seconds:.1f} s{wiped}")


@cli.command()
@click.argument("target", metavar="ID")
@output_options
@store_option
@handle_errors
def explain(target: str, fmt: str, store_path: Path) -> None:
    """Every sentence behind a node or an edge, with its article and the rule that read it.

    IDs look like UZB, kristi-noem, agr-USA-UZB or ACCEPTS_DEPORTEES_FROM:UZB->USA.
    """
    with _open_store(store_path) as store:
        rows = store.explain(target)
        heading = store.edge_sentence(target) if fmt == "table" else None
    if heading:
        click.echo(heading + "\n")
    click.echo(render(rows, fmt, max_width=90), nl=False)


@cli.command()
@click.argument("country")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]), default="table", show_default=True,
              help="md: Markdown, ready to paste into a report.")
@store_option
@handle_errors
def profile(country: str, fmt: str, store_path: Path) -> None:
    """One country on one page: its arrangements (as host and as deporting state) with their dated
    status history, money paid and received, officials, agencies and court rulings, each line with
    the number of articles behind it. COUNTRY is a name, an alias or an ISO3 code."""
    from deportgraph.outputs.profile import profile_markdown
    from deportgraph.queries.profile import PROFILE_SECTIONS, country_profile

    with _open_store(store_path) as store:
        data = country_profile(store, country)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt == "md":
        click.echo(profile_markdown(data), nl=False)
        return
    t = data["totals"]
    click.echo(f"{data['country']} ({data['iso3']}): paid USD {t['paid_usd']:,.0f}, "
               f"received USD {t['received_usd']:,.0f} (disclosed sums)")
    for section in PROFILE_SECTIONS:
        click.echo(f"\n{section.replace('_', ' ')}:")
        click.echo(render(data[section], "table", max_width=70), nl=False)


@cli.command()
@click.argument("target", required=False)
@output_options
@store_option
@handle_errors
def timeline(target: str | None, fmt: str, store_path: Path) -> None:
    """The dated steps (requested, agreed, carried out, blocked, refused, ended) of the arrangements of
    a country (name or ISO3), of one agreement (agr-…), or of all, oldest first, with their sources."""
    from deportgraph.queries.profile import timeline as steps

    with _open_store(store_path) as store:
        rows = steps(store, target)
    click.echo(render(rows, fmt, columns=["date", "agreement", "status", "dated_in_text", "sources", "quote"],
                      max_width=60), nl=False)


@cli.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handle_errors
def stats(store_path: Path, fmt: str) -> None:
    """Counts of nodes by label and edges by type, articles read, relevant and with facts."""
    with _open_store(store_path) as store:
        data = store.stats()
    if fmt == "json":
        click.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    rows = [{"what": f"nodes: {k}", "count": v} for k, v in data["nodes"].items()]
    rows += [{"what": f"edges: {k}", "count": v} for k, v in data["edges"].items()]
    rows += [{"what": f"articles: {k}", "count": v} for k, v in data["articles"].items()]
    rows += [{"what": "facts", "count": data["facts"]}, {"what": "last ingest", "count": data["last_ingest"]}]
    click.echo(render(rows, "table"), nl=False)


def main() -> None:
    """Console entry point."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    cli(prog_name="deportgraph")


if __name__ == "__main__":
    main()
