"""URLs: pages and feeds fetched from a local server in the worker; every failure a named error.

Everything here talks to 127.0.0.1 only: a `http.server` in a thread on a free port.
"""

from __future__ import annotations

import contextlib
import json
import pickle
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from deportgraph.cli import cli
from deportgraph.errors import LoaderError
from deportgraph.graph.ingest import plan_tasks
from deportgraph.loaders.archives import RawRecord, ReadOptions
from deportgraph.loaders.article import Article
from deportgraph.loaders.readers import iter_articles, read_raw
from deportgraph.loaders.web import MAX_REDIRECTS, fetch

from .test_feeds import ATOM, RSS, RWANDA

ARTICLE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Rwanda to take U.S. deportees | Local Wire</title>
<meta property="og:site_name" content="Local Wire"></head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>Rwanda to take U.S. deportees</h1>
<p>{RWANDA} The arrangement was confirmed by officials in Kigali on Tuesday after weeks of talks.</p>
<p>Under the deal, the deportees will receive housing and vocational training, the government said in a statement
released to reporters, adding that each case would be reviewed individually before any transfer.</p>
<p>Human rights groups criticised the plan, saying it shifts responsibility for asylum seekers to a third country
that has no connection with the people being sent there.</p>
</article></main>
<footer>© Local Wire. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body></html>
"""

BIG = ARTICLE.replace("</body>", "<!--" + "x" * 200_000 + "--></body>").encode()
LOOP = ("/loop-a", "/loop-b")


class Handler(BaseHTTPRequestHandler):
    """The test server's pages; counts requests so tests can see what was (not) fetched."""

    hits: list[str] = []  # noqa: RUF012 - shared on purpose
    agents: list[str] = []  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def send(self, code: int, body: bytes, content_type: str | None = "text/html; charset=utf-8",
             length: bool = True, **headers: str) -> None:
        self.send_response(code)
        if content_type:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        with contextlib.suppress(OSError):
            self.wfile.write(body)

    def do_GET(self) -> None:
        Handler.hits.append(self.path)
        Handler.agents.append(self.headers.get("User-Agent", ""))
        path = self.path
        if path in _PAGES:
            code, body, content_type = _PAGES[path]
            self.send(code, body, content_type)
        elif path.startswith("/chain/"):
            n = int(path.rsplit("/", 1)[1])
            if n == 0:
                self.send(302, b"", Location="/article")
            else:
                self.send(301 if n % 2 else 307, b"", Location=f"/chain/{n - 1}")
        elif path in LOOP:
            self.send(302, b"", Location=LOOP[1 - LOOP.index(path)])
        elif path == "/to-ftp":
            self.send(302, b"", Location="ftp://127.0.0.1/x")
        elif path == "/to-loopback":
            self.send(302, b"", Location=f"http://127.0.0.1:{self.server.server_address[1]}/article")
        elif path == "/slow":
            time.sleep(2)
            self.send(200, ARTICLE.encode())
        elif path == "/trickle":
            self.trickle()
        elif path == "/big-unsized":
            self.close_connection = True
            self.send(200, BIG, length=False)
        else:
            self.send(404, b"not here", "text/plain")

    def trickle(self) -> None:
        """A page sent a few bytes at a time, slower than any reader's patience."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(40):
                self.wfile.write(b"<p>x</p>")
                self.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass


_HTML = "text/html; charset=utf-8"
# The pages the server gives as they are: path -> (status, body, content type).
_PAGES: dict[str, tuple[int, bytes, str]] = {
    "/article": (200, ARTICLE.encode(), _HTML),
    "/deportaci%C3%B3n": (200, ARTICLE.encode(), _HTML),
    "/article-latin1": (200, ARTICLE.replace("Kigali", "Kigalí").replace('<meta charset="utf-8">', "")
                        .encode("latin-1"), "text/html; charset=ISO-8859-1"),
    "/feed": (200, RSS.encode(), "application/rss+xml"),
    "/atom-as-xml": (200, ATOM.encode(), "text/xml"),
    "/text": (200, f"---\ntitle: Plain\n---\n{RWANDA}\n".encode(), "text/plain"),
    "/big": (200, BIG, _HTML),
    "/image": (200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "image/png"),
    "/octets": (200, b"\x00\x01\x02binary" * 10, "application/octet-stream"),
    "/empty": (200, b"", _HTML),
    "/boom": (500, b"oops", "text/plain"),
}

@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback requests never go through a proxy the environment may name."""
    for key in ("no_proxy", "NO_PROXY"):
        monkeypatch.setenv(key, "127.0.0.1,localhost")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def read(*urls: str, timeout: float = 20.0, max_bytes: int = 20 * 1024 * 1024
         ) -> tuple[list[Article], list[LoaderError]]:
    options = ReadOptions(timeout=timeout, max_bytes=max_bytes, allow_private=True)  # the test server is local
    items = list(iter_articles(list(urls), options=options))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, LoaderError)]


def test_html_page_is_read_by_the_html_reader(server: str) -> None:
    [a], errors = read(f"{server}/article")
    assert not errors
    assert RWANDA in a.text and "Privacy" not in a.text and "Sport" not in a.text
    assert (a.url, a.path, a.publisher) == (f"{server}/article", f"{server}/article", "Local Wire")
    assert a.title and a.title.startswith("Rwanda to take U.S. deportees")


def test_non_ascii_path_is_percent_encoded(server: str) -> None:
    [a], errors = read(f"{server}/deportación")
    assert not errors and a.url == f"{server}/deportación" and Handler.hits[-1] == "/deportaci%C3%B3n"


def test_declared_charset_is_used(server: str) -> None:
    [a], errors = read(f"{server}/article-latin1")
    assert not errors and "Kigalí" in a.text


def test_user_agent_names_deportgraph(server: str) -> None:
    page = fetch(f"{server}/article", timeout=5, allow_private=True)
    assert Handler.agents[-1].startswith("deportgraph")
    assert page.content_type == "text/html" and page.charset == "utf-8" and page.final_url == page.url


def test_feed_url_gives_one_article_per_entry(server: str) -> None:
    articles, [err] = read(f"{server}/feed")
    assert [a.url for a in articles] == ["https://example.org/rwanda", "https://example.org/eswatini"]
    assert err.path == f"{server}/feed entry 2"
    articles, errors = read(f"{server}/atom-as-xml")  # generic XML is sniffed
    assert [a.publisher for a in articles] == ["Atom Times", "Atom Times"] and len(errors) == 1


def test_plain_text_page(server: str) -> None:
    [a], _ = read(f"{server}/text")
    assert (a.text, a.title, a.url) == (RWANDA, "Plain", f"{server}/text")


def test_redirect_chain_is_followed_and_the_final_address_kept(server: str) -> None:
    [a], errors = read(f"{server}/chain/{MAX_REDIRECTS - 1}")  # 4 hops, then /article: 5 redirects
    assert not errors and RWANDA in a.text
    assert a.path == f"{server}/chain/{MAX_REDIRECTS - 1}" and a.url == f"{server}/article"


def test_too_many_redirects_and_loops_are_refused(server: str) -> None:
    _, [err] = read(f"{server}/chain/{MAX_REDIRECTS}")
    assert err.path == f"{server}/chain/{MAX_REDIRECTS}" and f"more than {MAX_REDIRECTS} redirects" in err.reason
    _, [err] = read(f"{server}/loop-a")
    assert "redirect loop" in err.reason and "/loop-b" in err.reason
    _, [err] = read(f"{server}/to-ftp")
    assert "not an http or https address" in err.reason


def test_http_errors(server: str) -> None:
    _, errors = read(f"{server}/missing", f"{server}/boom", f"{server}/empty")
    assert [(e.path, e.reason) for e in errors] == [
        (f"{server}/missing", "HTTP 404 Not Found"),
        (f"{server}/boom", "HTTP 500 Internal Server Error"),
        (f"{server}/empty", "page is empty"),
    ]


def test_slow_server_times_out(server: str) -> None:
    start = time.perf_counter()
    _, [err] = read(f"{server}/slow", timeout=0.3)
    assert "timed out after 0.3 s" in err.reason
    _, [err] = read(f"{server}/trickle", timeout=0.5)  # each read is quick; the whole fetch is not
    assert "timed out after 0.5 s" in err.reason
    assert time.perf_counter() - start < 2.5


def test_over_size_bodies_stop_at_the_limit(server: str) -> None:
    _, [err] = read(f"{server}/big", max_bytes=10_000)
    assert f"{len(BIG):,} bytes, over the 10,000-byte limit" in err.reason
    _, [err] = read(f"{server}/big-unsized", max_bytes=10_000)
    assert "over the 10,000-byte limit (stopped reading)" in err.reason
    [a], _ = read(f"{server}/big-unsized", max_bytes=1_000_000)
    assert RWANDA in a.text


def test_binary_content_is_refused(server: str) -> None:
    _, errors = read(f"{server}/image", f"{server}/octets")
    assert "not a text page (Content-Type image/png)" in errors[0].reason
    assert "not an article page or feed (Content-Type application/octet-stream)" in errors[1].reason


def test_refused_connection_and_dns_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _, [err] = read(f"http://127.0.0.1:{port}/x")
    assert err.reason == "connection refused by 127.0.0.1"

    def no_dns(*args: object, **kwargs: object) -> None:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)  # no resolver is ever asked
    _, [err] = read("https://news.invalid/story")
    assert err.path == "https://news.invalid/story"
    assert err.reason == "cannot resolve host name 'news.invalid' (Name or service not known)"


def test_planner_only_names_the_url_and_the_batch_goes_on(server: str, tmp_path: Path) -> None:
    before = len(Handler.hits)
    [task] = list(plan_tasks([f"{server}/article", f"{server}/missing", str(tmp_path / "nope.txt")],
                             options=ReadOptions(timeout=3, allow_private=True)))[-1:]  # nope.txt's error first
    assert len(Handler.hits) == before, "nothing is fetched while planning"
    assert isinstance(task, list) and task[0] == RawRecord(f"{server}/article", "url", (3, 20 * 1024 * 1024, True))
    assert len(pickle.dumps(task)) < 500
    items = [item for raw in pickle.loads(pickle.dumps(task)) for item in read_raw(raw)]
    assert isinstance(items[0], Article) and isinstance(items[1], LoaderError)


def test_cli_ingests_a_url_and_answers_accepts(server: str, tmp_path: Path) -> None:
    store = tmp_path / "g.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", "--store", str(store), "-q", "--jobs", "2", "--timeout", "5",
                                 "--allow-private-urls",
                                 f"{server}/article", f"{server}/missing"])
    assert result.exit_code == 0, result.output
    assert "read 1 articles: 1 added" in result.stdout and "1 files or records skipped" in result.stdout
    assert f"skipped {server}/missing: HTTP 404 Not Found" in result.stderr
    result = runner.invoke(cli, ["query", "accepts", "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert any(r["host_iso3"] == "RWA" and r["from_iso3"] == "USA" and r["count"] in (250, "250") for r in rows), rows
    result = runner.invoke(cli, ["query", "evidence", "-p", "id=ACCEPTS_DEPORTEES_FROM:RWA->USA",
                                 "--store", str(store), "--format", "json"])
    assert result.exit_code == 0, result.output
    evidence = json.loads(result.stdout)
    assert {e["url"] for e in evidence} == {f"{server}/article"} and any(RWANDA in e["quote"] for e in evidence)


def test_timeout_option_is_validated() -> None:
    result = CliRunner().invoke(cli, ["ingest", "--timeout", "0", "--allow-private-urls", "http://127.0.0.1:9/"])
    assert result.exit_code == 2 and "--timeout" in result.output


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://localhost/x", "http://[::1]/x", "http://10.1.2.3/x",
                                 "http://192.168.0.1/router", "http://169.254.169.254/latest/meta-data/"])
def test_a_url_on_a_loopback_or_private_address_is_refused(url: str) -> None:
    start = time.monotonic()
    with pytest.raises(LoaderError, match=r"is a loopback or private address .*--allow-private-urls"):
        fetch(url, timeout=5)
    assert time.monotonic() - start < 3  # refused before any connection is tried


def test_a_redirect_to_a_private_address_is_refused(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from deportgraph.loaders import web

    real = web._addresses
    # "localhost" stands for a site on the open internet here; where it redirects is the loopback
    monkeypatch.setattr(web, "_addresses", lambda host, port: ["93.184.216.34"] if host == "localhost"
                        else real(host, port))
    public = server.replace("127.0.0.1", "localhost")
    with pytest.raises(LoaderError, match=r"127\.0\.0\.1 is a loopback or private address .*\(redirected to http://127"):
        fetch(f"{public}/to-loopback", timeout=5)
    assert fetch(f"{public}/to-loopback", timeout=5, allow_private=True).body  # allowed, it is read


def test_the_cli_refuses_a_private_url_unless_asked(server: str, tmp_path: Path) -> None:
    store = ["--store", str(tmp_path / "g.db")]
    result = CliRunner().invoke(cli, ["ingest", "-q", *store, f"{server}/article"])
    assert result.exit_code == 1 and "is a loopback or private address" in result.stderr
    result = CliRunner().invoke(cli, ["ingest", "-q", *store, "--allow-private-urls", f"{server}/article"])
    assert result.exit_code == 0 and "1 added" in result.stdout
