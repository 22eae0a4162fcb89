"""Readers: every format gives the same Article; bad files come back as errors naming the file."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from deportgraph.errors import LoaderError
from deportgraph.loaders.article import Article
from deportgraph.loaders.readers import MAX_FILE_BYTES, iter_articles

BODY = "Kosovo agreed to take in fifty people deported from the United States. They are not Kosovars."


def read(paths: list[str], stdin: bytes | None = None) -> tuple[list[Article], list[LoaderError]]:
    items = list(iter_articles(paths, stdin=io.BytesIO(stdin) if stdin is not None else None))
    return ([i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, LoaderError)])


def test_text_with_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(f"---\ntitle: Kosovo deal\nurl: https://example.org/k\npublished: June 12, 2025\n"
                 f"publisher: Example Wire\n---\n{BODY}\n", encoding="utf-8")
    [a], errors = read([str(p)])
    assert not errors
    assert (a.title, a.url, a.published, a.publisher) == ("Kosovo deal", "https://example.org/k", "2025-06-12",
                                                          "Example Wire")
    assert a.text == BODY and a.path == str(p)


@pytest.mark.parametrize(("header", "title", "published"), [
    ("Kosovo to take fifty deportees\nPosted on August 7, 2025\n", "Kosovo to take fifty deportees", "2025-08-07"),
    ("Published: 2026-01-06\nKosovo to take fifty deportees\n", "Kosovo to take fifty deportees", "2026-01-06"),
    ("Kosovo to take fifty deportees\nBy Ana Ruiz | May 1, 2025\n", "Kosovo to take fifty deportees", "2025-05-01"),
    ("Published: 18:16, August 31, 2025\n", None, "2025-08-31"),
    ("-\n", None, None),
    ("Example Wire\n", None, None),
    ("date 2024-10-18 ", None, "2024-10-18"),
])
def test_plain_text_gives_its_own_header_lines_as_title_and_date(
        tmp_path: Path, header: str, title: str | None, published: str | None) -> None:
    p = tmp_path / "a.txt"
    p.write_text(header + BODY + "\n", encoding="utf-8")
    [a], errors = read([str(p)])
    assert not errors and (a.title, a.published) == (title, published)
    assert BODY in a.text  # the text itself is kept whole


def test_same_text_same_id_whatever_the_format(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"text": BODY + "\n", "title": "x"}), encoding="utf-8")
    articles, errors = read([str(tmp_path)])
    assert not errors and len(articles) == 2
    assert articles[0].id == articles[1].id


def test_html_keeps_the_article_and_drops_navigation(tmp_path: Path) -> None:
    paragraphs = "".join(f"<p>{BODY} Paragraph {i} adds more words about the arrangement.</p>" for i in range(4))
    html = (
        "<html><head><title>Kosovo deal | Example</title><meta property='og:site_name' content='Example Wire'>"
        "<meta name='date' content='2025-06-12'></head><body>"
        "<nav><a href='/'>Home</a> <a href='/world'>World news menu</a></nav>"
        "<div class='cookie-banner'>We use cookies to improve your experience. Accept all cookies.</div>"
        f"<article><h1>Kosovo agrees to take deportees</h1>{paragraphs}</article>"
        "<footer>Copyright Example Wire. All rights reserved.</footer></body></html>"
    )
    p = tmp_path / "page.html"
    p.write_text(html, encoding="utf-8")
    [a], errors = read([str(p)])
    assert not errors
    assert "Kosovo agreed to take in fifty people" in a.text
    assert "World news menu" not in a.text and "cookies" not in a.text and "Copyright" not in a.text
    assert a.published == "2025-06-12" and a.publisher == "Example Wire"


def test_jsonl_reports_the_bad_record_and_keeps_the_rest(tmp_path: Path) -> None:
    p = tmp_path / "feed.jsonl"
    p.write_text(
        json.dumps({"text": BODY, "url": "https://example.org/1"}) + "\n"
        + "{not json\n"
        + json.dumps({"title": "no text here"}) + "\n"
        + json.dumps({"body": "Rwanda agreed to receive deportees from the U.S."}) + "\n",
        encoding="utf-8",
    )
    articles, errors = read([str(p)])
    assert [a.url for a in articles] == ["https://example.org/1", None]
    assert [e.path for e in errors] == [f"{p}:2", f"{p}:3"]
    assert "not valid JSON" in errors[0].reason and "no text field" in errors[1].reason


def test_stdin_is_sniffed() -> None:
    articles, errors = read(["-"], stdin=json.dumps([{"text": BODY}, {"text": "Second article."}]).encode())
    assert not errors and len(articles) == 2


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"   \n", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
        ("latin1.txt", "Panam\xe1 recibi\xf3 a deportados".encode("latin-1"), "not UTF-8"),
        ("broken.json", b'{"text": "unterminated', "not valid JSON"),
        ("list.json", b"[1, 2]", "expected a JSON object"),
        ("photo.png", b"\x89PNG", "unsupported"),
        ("sheet.xlsx", b"PK\x03\x04 some zip bytes", "unsupported"),
        ("only-front-matter.md", b"---\ntitle: x\n---\n", "no article text"),
    ],
)
def test_bad_files_are_named_with_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    p = tmp_path / name
    p.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    articles, errors = read([str(p), str(good)])
    assert len(articles) == 1, "the good file is still read"
    assert errors and errors[0].path.startswith(str(p)) and reason in errors[0].reason


def test_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    _, [err] = read([str(p)])
    assert "limit" in err.reason


def test_missing_path(tmp_path: Path) -> None:
    _, [err] = read([str(tmp_path / "nope")])
    assert "no such file" in err.reason


def test_folders_are_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zeta article about Rwanda.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Alpha article about Kosovo.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    articles, _ = read([str(tmp_path)])
    assert [Path(a.path).name for a in articles] == ["a.txt", "z.txt"]
