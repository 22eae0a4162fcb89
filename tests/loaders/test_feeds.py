"""RSS and Atom feeds: one article per entry, broken entries and unsafe or malformed XML named and skipped."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest

from deportgraph.errors import LoaderError
from deportgraph.loaders.article import Article
from deportgraph.loaders.feeds import html_to_text, read_feed
from deportgraph.loaders.readers import detect_format, iter_articles

RWANDA = "Rwanda agreed to accept 250 deportees from the United States."
ESWATINI = "Eswatini received five men deported from the United States, none of them Swazi."

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Example Wire</title>
    <link>https://example.org/</link>
    <description>News</description>
    <item>
      <title>Rwanda to take U.S. deportees</title>
      <link>https://example.org/rwanda</link>
      <pubDate>Tue, 05 Aug 2025 09:30:00 GMT</pubDate>
      <description>A short teaser.</description>
      <content:encoded><![CDATA[<div class="body"><p>{RWANDA}</p>
        <p>The <a href="/x">deal</a> was announced&nbsp;in Kigali.</p><script>track()</script></div>]]>
      </content:encoded>
    </item>
    <item>
      <title>Empty item</title>
      <link>https://example.org/empty</link>
      <description>   </description>
    </item>
    <item>
      <title>Eswatini &amp; the deportees</title>
      <guid isPermaLink="true">https://example.org/eswatini</guid>
      <dc:date>2025-07-16T12:00:00Z</dc:date>
      <source url="https://other.example/feed">Other Outlet</source>
      <description>&lt;p&gt;{ESWATINI}&lt;/p&gt;&lt;p&gt;Officials said so.&lt;/p&gt;</description>
    </item>
  </channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://atom.example/">
  <title type="html">Atom &lt;b&gt;Times&lt;/b&gt;</title>
  <id>urn:x</id>
  <updated>2025-08-01T00:00:00Z</updated>
  <entry>
    <title>Rwanda deal</title>
    <link rel="alternate" href="news/rwanda"/>
    <link rel="enclosure" href="https://atom.example/photo.jpg"/>
    <published>2025-08-05T10:00:00+02:00</published>
    <updated>2025-08-06T10:00:00Z</updated>
    <summary>Teaser only.</summary>
    <content type="html">&lt;p&gt;{RWANDA}&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Out-of-line content only</title>
    <link href="https://atom.example/broken"/>
    <content src="https://atom.example/body.html" type="text/html"/>
  </entry>
  <entry>
    <title type="text">Eswatini</title>
    <link href="https://atom.example/eswatini"/>
    <updated>2025-07-16T00:00:00Z</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">
      <p>{ESWATINI}</p><p>Second <em>paragraph</em>.</p></div></content>
  </entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://rdf.example/"><title>RDF Daily</title></channel>
  <item rdf:about="https://rdf.example/1"><title>One</title><description>Kosovo took in fifty deportees.</description>
    <dc:date>2025-06-12</dc:date></item>
</rdf:RDF>
"""

BOMB = """<?xml version="1.0"?>
<!DOCTYPE rss [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>Bomb</title>
  <item><title>boom</title><description>&lol9;</description></item>
</channel></rss>
"""


def read(paths: list[str], stdin: bytes | None = None) -> tuple[list[Article], list[LoaderError]]:
    items = list(iter_articles(paths, stdin=io.BytesIO(stdin) if stdin is not None else None))
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, LoaderError)]


def test_rss_items_become_articles_and_the_broken_one_is_named(tmp_path: Path) -> None:
    p = tmp_path / "wire.rss"
    p.write_text(RSS, encoding="utf-8")
    articles, [err] = read([str(p)])
    assert err.path == f"{p} entry 2" and "no article text" in err.reason
    first, second = articles
    assert first.text.startswith(RWANDA), "content:encoded wins over the teaser"
    assert "The deal was announced in Kigali." in first.text and "track()" not in first.text and "<" not in first.text
    assert (first.title, first.url, first.published, first.publisher) == (
        "Rwanda to take U.S. deportees", "https://example.org/rwanda", "2025-08-05", "Example Wire")
    assert first.path == f"{p} entry 1"
    assert second.text == f"{ESWATINI}\n\nOfficials said so."
    assert (second.title, second.url, second.published, second.publisher) == (
        "Eswatini & the deportees", "https://example.org/eswatini", "2025-07-16", "Other Outlet")


def test_atom_entries_become_articles(tmp_path: Path) -> None:
    p = tmp_path / "times.atom"
    p.write_text(ATOM, encoding="utf-8")
    articles, [err] = read([str(p)])
    assert err.path == f"{p} entry 2" and "no article text" in err.reason
    first, third = articles
    assert first.text == RWANDA, "content wins over summary, its HTML stripped"
    assert (first.title, first.url, first.published, first.publisher) == (
        "Rwanda deal", "https://atom.example/news/rwanda", "2025-08-05", "Atom Times")
    assert third.text == f"{ESWATINI}\n\nSecond paragraph."
    assert (third.url, third.published) == ("https://atom.example/eswatini", "2025-07-16")


def test_rss_1_rdf_and_sniffing_without_a_known_suffix(tmp_path: Path) -> None:
    for name, content in (("rdf.xml", RDF), ("feed", RDF), ("index.php", ATOM)):
        p = tmp_path / name
        p.write_text(content, encoding="utf-8")
        assert detect_format(name, content.encode()[:4096]) == "feed"
    [a], errors = read([str(tmp_path / "rdf.xml")])
    assert not errors
    assert (a.text, a.url, a.publisher, a.published) == ("Kosovo took in fifty deportees.", "https://rdf.example/1",
                                                         "RDF Daily", "2025-06-12")
    articles, _ = read(["-"], stdin=RSS.encode())
    assert len(articles) == 2 and articles[0].path == "<stdin> entry 1"


def test_feed_in_its_own_declared_encoding(tmp_path: Path) -> None:
    p = tmp_path / "latin.rss"
    p.write_bytes(RSS.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
                  .replace("Example Wire", "Panamá Wire").encode("latin-1"))
    articles, _ = read([str(p)])
    assert articles[0].publisher == "Panamá Wire"


def test_malformed_feed_is_reported_with_the_parsers_message(tmp_path: Path) -> None:
    p = tmp_path / "broken.rss"
    p.write_text(RSS.replace("</item>", "", 1), encoding="utf-8")
    good = tmp_path / "good.atom"
    good.write_text(ATOM, encoding="utf-8")
    articles, errors = read([str(p), str(good)])
    assert len(articles) == 2, "the rest of the batch goes on"
    assert errors[0].path == str(p)
    assert "not well-formed XML" in errors[0].reason and "mismatched tag: line" in errors[0].reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("page.xml", "<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "not an RSS or Atom feed"),
        ("empty.rss", '<rss version="2.0"><channel><title>x</title></channel></rss>', "feed has no entries"),
        ("nochannel.rss", '<rss version="2.0"><item/></rss>', "no <channel>"),
        ("html.rss", "<html><body><p>hi</p></body></html>", "not an RSS or Atom feed (root element <html>)"),
        ("binary.rss", "<rss>\x00\x00</rss>", "binary"),
    ],
)
def test_files_that_are_not_feeds(tmp_path: Path, name: str, content: str, reason: str) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    _, [err] = read([str(p)])
    assert err.path == str(p) and reason in err.reason


def test_xml_bomb_is_refused_quickly(tmp_path: Path) -> None:
    p = tmp_path / "lol.rss"
    p.write_text(BOMB, encoding="utf-8")
    start = time.perf_counter()
    articles, [err] = read([str(p)])
    assert time.perf_counter() - start < 2
    assert not articles and err.path == str(p)
    assert "refused" in err.reason and "entity" in err.reason
    [err2] = list(read_feed("bomb.xml", BOMB.replace("lol", "x").encode()))  # any entity declaration
    assert isinstance(err2, LoaderError) and "refused" in err2.reason


def test_external_entities_are_refused() -> None:
    xxe = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           "<rss><channel><item><description>&x;</description></item></channel></rss>")
    [err] = list(read_feed("xxe.rss", xxe.encode()))
    assert isinstance(err, LoaderError) and "refused" in err.reason


def test_html_to_text() -> None:
    assert html_to_text("<ul><li>One</li><li>Two&amp;three</li></ul><style>p{}</style>") == "One\n\nTwo&three"
    long = "<nav>Home | World | Sport</nav>" + "".join(f"<p>{RWANDA} Paragraph {i}.</p>" for i in range(80))
    text = html_to_text(long)
    assert text.count(RWANDA) == 80 and "<" not in text
