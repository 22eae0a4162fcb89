"""RSS and Atom feeds: each item or entry of a feed becomes an `Article`.

RSS 2.0 (and 0.9x), RSS 1.0 (RDF) and Atom 1.0 are read with the standard library's ElementTree
behind defusedxml, which refuses entity declarations, so an XML bomb (billion laughs, quadratic
blow-up, external entities) is stopped before any expansion. An entry's text is the first
non-empty of ``content:encoded``, Atom ``content``, ``description`` and ``summary``; HTML in it is
turned into plain text (`html_to_text`). A broken entry becomes a `LoaderError` naming the file
and the entry number, and the other entries go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from deportgraph.errors import LoaderError

from .article import Article
from .dates import iso_date

__all__ = ["FEED_ROOTS", "element_text", "html_to_text", "looks_like_html", "read_feed", "xml_root"]

FEED_ROOTS = frozenset({"rss", "feed", "rdf"})
"""Root element names (local, lower case) of the feed formats: RSS, Atom, RSS 1.0's ``rdf:RDF``."""

_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
_TEXT_FIELDS = ("encoded", "content", "description", "summary")  # content:encoded first: the full body
_DATE_FIELDS = ("pubDate", "published", "date", "issued", "updated", "modified")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_HTML_HINT = re.compile(r"<[A-Za-z/!][^>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
_SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "embed", "form", "button",
                   "select", "svg", "math", "head"})
_BLOCKS = frozenset({"address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
                     "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
                     "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul"})
# Markup longer than this is a whole article body: trafilatura may strip its boilerplate.
_TRAFILATURA_MIN_CHARS = 5000


def xml_root(head: bytes) -> str | None:
    """The local name of the first element in an XML or HTML head, lower-cased (None if none yet).

    >>> xml_root(b'<?xml version="1.0"?>\\n<!-- a feed --><rdf:RDF xmlns:rdf="x">')
    'rdf'
    >>> xml_root(b"<!DOCTYPE rss [<!ENTITY a 'b'>]><rss version='2.0'>"), xml_root(b"plain text")
    ('rss', None)
    """
    head = _COMMENT.sub(b"", head.lstrip(b"\xef\xbb\xbf \t\r\n"))
    m = _ROOT.search(head)
    return m.group(1).decode("ascii").lower() if m else None


def looks_like_html(text: str) -> bool:
    """Whether a feed field holds HTML (tags or character references) rather than plain text.

    >>> looks_like_html("<p>Rwanda agreed.</p>"), looks_like_html("5 < 6 and 7 > 3")
    (True, False)
    """
    return _HTML_HINT.search(text) is not None


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page: paragraphs kept apart, scripts and styles dropped.

    A long body (a whole article with its page furniture) goes through trafilatura, like an HTML
    file; a snippet, or a body trafilatura cuts by more than half, is converted element by element.

    >>> html_to_text("<p>Rwanda <b>agreed</b>&nbsp;to accept.</p><script>x()</script><p>More.</p>")
    'Rwanda agreed to accept.\\n\\nMore.'
    """
    from lxml import etree
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(re.sub(r"<[^>]*>", " ", html).split())
    plain = element_text(root)
    if len(html) >= _TRAFILATURA_MIN_CHARS:
        import trafilatura

        try:
            extracted = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True)
        except (ValueError, TypeError):
            extracted = None
        if extracted and len(extracted) * 2 >= len(plain):
            return "\n\n".join(" ".join(line.split()) for line in extracted.splitlines() if line.strip())
    return plain


def element_text(element: Any) -> str:
    """The text of an element tree (lxml or ElementTree, any namespace), one paragraph per block."""
    out: list[str] = []
    _walk(element, out)
    lines = (" ".join(line.split()) for line in "".join(out).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _walk(el: Any, out: list[str]) -> None:
    tag = _local(el.tag) if isinstance(el.tag, str) else ""  # comments and PIs have a function as tag
    if isinstance(el.tag, str) and tag not in _SKIP:
        block = tag in _BLOCKS
        if block:
            out.append("\n")
        if el.text:
            out.append(el.text.replace("\n", " "))
        for child in el:
            _walk(child, out)
        if block:
            out.append("\n")
    if el.tail:
        out.append(el.tail.replace("\n", " "))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].split(":")[-1].lower()


def _children(el: Any, name: str) -> list[Any]:
    return [c for c in el if isinstance(c.tag, str) and c.tag.rsplit("}", 1)[-1] == name]


def _child(el: Any, name: str) -> Any:
    found = _children(el, name)
    return found[0] if found else None


def _plain(value: str | None) -> str:
    """Text of a field that may hold escaped HTML (RSS) or plain text."""
    if not value or not value.strip():
        return ""
    text = html_to_text(value) if looks_like_html(value) else value
    return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip())


def _field_text(el: Any) -> str:
    """The text of a title, description, summary or content element."""
    if el is None:
        return ""
    kind = (el.get("type") or "").lower()
    if kind == "xhtml" or (len(el) and not (el.text or "").strip()):  # markup as child elements
        return element_text(el)
    if el.get("src"):  # Atom out-of-line content: nothing here
        return ""
    text = el.text or ""
    return " ".join(text.split()) if kind in ("text", "text/plain") else _plain(text)


def _entry_url(entry: Any, base: str | None) -> str | None:
    links = _children(entry, "link")
    for link in links:  # Atom: <link rel="alternate" href="…"/>, the default rel
        href = link.get("href")
        if href and (link.get("rel") or "alternate") == "alternate":
            return urljoin(base or "", href.strip())
    for link in links:  # RSS: <link>…</link>
        if (link.text or "").strip():
            return urljoin(base or "", link.text.strip())
    guid = _child(entry, "guid")
    if guid is not None and (guid.get("isPermaLink") or "true") != "false":
        text = (guid.text or "").strip()
        if text.startswith(("http://", "https://")):
            return text
    about = next((v for k, v in entry.attrib.items() if k.endswith("}about")), None)  # RSS 1.0 item
    return urljoin(base or "", about) if about else None


def _entry(where: str, entry: Any, publisher: str | None, base: str | None) -> Article | LoaderError:
    base = urljoin(base or "", entry.get(_XML_BASE) or "") or base
    text = ""
    for name in _TEXT_FIELDS:
        for el in _children(entry, name):
            text = _field_text(el)
            if text:
                break
        if text:
            break
    if not text:
        return LoaderError(where, "entry has no article text (no content, description or summary)")
    date_el = next((el for name in _DATE_FIELDS for el in _children(entry, name) if (el.text or "").strip()), None)
    source = _child(entry, "source")  # RSS <source url="…">Outlet</source>: the outlet of an aggregated item
    outlet = (source.text or "").strip() if source is not None and not len(source) else ""
    return Article(
        text=text,
        path=where,
        url=_entry_url(entry, base),
        title=_field_text(_child(entry, "title")) or None,
        publisher=outlet or publisher,
        published=iso_date(date_el.text) if date_el is not None else None,
    )


def read_feed(name: str, data: bytes, base_url: str | None = None) -> Iterator[Article | LoaderError]:
    """The articles of a feed's bytes (the parser reads the XML's own encoding declaration).

    ``name`` names the feed in errors (entries are ``NAME entry N``); ``base_url``, the address
    the feed was fetched from, resolves relative links.
    """
    import defusedxml
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except ParseError as err:
        yield LoaderError(name, f"is not well-formed XML ({err})")
        return
    except defusedxml.EntitiesForbidden as err:
        yield LoaderError(name, f"refused: the XML declares an entity ({err.name!r}); feeds need none, "
                                "XML bombs do")
        return
    except defusedxml.DefusedXmlException as err:
        yield LoaderError(name, f"refused: unsafe XML ({err})")
        return
    kind = _local(root.tag)
    if kind not in FEED_ROOTS:
        yield LoaderError(name, f"is XML but not an RSS or Atom feed (root element <{kind}>)")
        return
    channel = root if kind == "feed" else _child(root, "channel")
    if channel is None and kind == "rss":
        yield LoaderError(name, "is not a valid RSS feed (no <channel>)")
        return
    publisher = (_field_text(_child(channel, "title")) or None) if channel is not None else None
    base = urljoin(base_url or "", root.get(_XML_BASE) or "") or base_url
    if kind == "feed":
        entries = _children(root, "entry")
    else:  # RSS 2.0: items inside <channel>; RSS 1.0: items beside it
        entries = (_children(channel, "item") if channel is not None else []) + _children(root, "item")
    if not entries:
        yield LoaderError(name, "feed has no entries")
        return
    for number, entry in enumerate(entries, 1):
        where = f"{name} entry {number}"
        try:
            yield _entry(where, entry, publisher, base)
        except (ValueError, TypeError) as err:
            yield LoaderError(where, f"entry could not be read ({err})")
