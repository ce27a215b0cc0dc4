"""The article template of 2015–2018 (``div.detail-berita``).

No JSON-LD, no ``article:*`` meta, no tags. The body is one ``div.isi-berita``
of text chunks separated by two line breaks (``<br><br>``, ``<br />`` CRLF
``<br />``, ``<br/><br/>``); the chunks include an ad, Baca Juga lines and,
last, ``Editor: NAME``.
"""

import re
from functools import cached_property
from typing import Optional

from lxml import etree

from sulsel_crawler.pages.base import (
    ArticlePage,
    clean_text,
    first,
    is_not_article_line,
    without_prefix,
)

EDITOR_LINE = re.compile(r"^Editor\s*:\s*(?P<name>.+)$", re.IGNORECASE)
INLINE_TAGS = {"a", "abbr", "b", "em", "font", "i", "mark", "small", "span", "strong", "sub", "sup", "u"}
DROPPED_TAGS = {"script", "noscript", "style", "iframe", "ins", "figure", "blockquote", "img"}
DROPPED_CLASSES = {"ads", "share-lines", "video-embed"}


class TextChunks:
    """Splits an element's text at runs of two or more ``<br>``.

    A single ``<br>`` is a space inside a chunk; a block element (``<p>``,
    ``<div>``) is a chunk of its own; ads, scripts and embeds are dropped.
    """

    def __init__(self, container: etree._Element):
        self.chunks: list[str] = []
        self.parts: list[str] = []
        self.breaks = 0
        self.walk(container)
        self.close()

    def close(self) -> None:
        text = clean_text("".join(self.parts))
        if text:
            self.chunks.append(text)
        self.parts, self.breaks = [], 0

    def add(self, text: str) -> None:
        if text.strip():
            if self.breaks >= 2:
                self.close()
            self.breaks = 0
        self.parts.append(text)

    def walk(self, element: etree._Element) -> None:
        self.add(element.text or "")
        for child in element:
            if child.tag == "br":
                self.breaks += 1
                self.parts.append(" ")
            elif self.dropped(child):
                pass
            elif child.tag in INLINE_TAGS:
                self.walk(child)
            else:
                self.close()
                self.walk(child)
                self.close()
            self.add(child.tail or "")

    @staticmethod
    def dropped(element: etree._Element) -> bool:
        if not isinstance(element.tag, str) or element.tag in DROPPED_TAGS:
            return True
        return bool(set((element.get("class") or "").split()) & DROPPED_CLASSES)


class LegacyArticlePage(ArticlePage):
    layout = "legacy"
    root = "div.detail-berita"
    headline = "div.detail-berita h1.judul"
    category_link = 'div.detail-berita div.breadcrumb a[href*="/kanal/"]'
    content = "div.detail-berita div.isi-berita"
    lead_img = "div.detail-berita div.foto-berita img"
    lead_caption = "div.detail-berita div.foto-berita div.keterangan-foto"

    @cached_property
    def chunks(self) -> list[str]:
        """Every text chunk of the body, Baca Juga and Editor lines included."""
        content = first(self.response.css(self.content))
        return TextChunks(content.root).chunks if content is not None else []

    def author(self) -> Optional[str]:
        reporter = self.css_text("div.info-berita span.reporter")
        return super().author() or without_prefix(reporter, "Laporan")

    def editor(self) -> Optional[str]:
        for chunk in reversed(self.chunks):
            match = EDITOR_LINE.match(chunk)
            if match:
                return clean_text(match["name"])
        return None

    def visible_published(self) -> Optional[str]:
        return self.css_text("div.info-berita span.tanggal")

    def body_paragraphs(self) -> list[str]:
        return [
            chunk
            for chunk in self.chunks
            if not EDITOR_LINE.match(chunk) and not is_not_article_line(chunk)
        ]
