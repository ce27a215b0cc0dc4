"""What every sulselsatu.com article page can tell, whatever its layout.

``ArticlePage`` reads one response. Each field has one small method that
tries machine-readable metadata first (JSON-LD, meta tags) and the visible
markup of the layout second. Layout classes (``current``, ``legacy``) only
name their selectors and read the parts that differ (body, author, dates).

Every field method returns clean text (whitespace collapsed, entities
decoded), or None / [] when the page does not state the field.
"""

import json
import re
from abc import ABC, abstractmethod
from functools import cached_property
from typing import Any, ClassVar, Optional, TypedDict
from urllib.parse import urlsplit

from lxml import etree
from parsel import Selector, SelectorList
from scrapy.http import TextResponse
from w3lib.html import replace_entities

from sulsel_crawler import urls
from sulsel_crawler.dates import parse_date

NEWS_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"}
TITLE_SUFFIX = re.compile(r"\s+[-–|]\s+Sulselsatu(?:\.com)?$", re.IGNORECASE)
CREDIT_LINE = re.compile(
    r"^SULSELSATU\.COM\s*,\s*(?P<place>[^,.–—]+?)\s*[–—-]\s", re.IGNORECASE
)
# Lines the CMS puts among the paragraphs that are not the article.
NOT_ARTICLE_LINE = re.compile(
    r"^(?:baca\s+juga\b|cek berita dan artikel yang lain di google news"
    r"|yuk berbagi informasi\b)",
    re.IGNORECASE,
)
SKIPPED_NODES = {"script", "style", "noscript", "template"}
SITE_CHROME_IMAGES = "/assets/images/"  # logos, the default share image


class Image(TypedDict):
    url: str
    caption: Optional[str]


def clean_text(value: Any) -> Optional[str]:
    """Whitespace (``&nbsp;`` included) collapsed to single spaces; None when empty."""
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def node_text(node: etree._Element) -> str:
    """Visible text of an lxml element: tags dropped, ``<br>`` as a space,
    scripts and comments skipped. Whitespace is left as found."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        if not isinstance(element.tag, str) or element.tag in SKIPPED_NODES:
            return
        if element.tag == "br":
            parts.append(" ")
        parts.append(element.text or "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(node)
    return "".join(parts)


def first(selectors: SelectorList) -> Optional[Selector]:
    return selectors[0] if selectors else None


def selector_text(selector: Optional[Selector]) -> Optional[str]:
    """Clean visible text of a parsel selector (None for no selector)."""
    return None if selector is None else clean_text(node_text(selector.root))


def is_not_article_line(text: str) -> bool:
    """Baca Juga links and the Google News / WhatsApp share lines."""
    return bool(NOT_ARTICLE_LINE.match(text))


def decoded(value: Any) -> Any:
    """JSON-LD with its strings HTML-unescaped: the CMS escapes them (``&amp;``)."""
    if isinstance(value, str):
        return replace_entities(value)
    if isinstance(value, list):
        return [decoded(item) for item in value]
    if isinstance(value, dict):
        return {key: decoded(item) for key, item in value.items()}
    return value


def without_prefix(text: Optional[str], prefix: str) -> Optional[str]:
    """``Editor: NAME`` → ``NAME``; text without the label is returned as is."""
    if text is None:
        return None
    return clean_text(re.sub(rf"^\s*{re.escape(prefix)}\s*:?\s*", "", text, flags=re.IGNORECASE))


def first_name(value: Any) -> Optional[str]:
    """A JSON-LD person (string, object or list of them) as one name."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return clean_text(value)


class ArticlePage(ABC):
    """One article page. Subclasses set the selectors of their layout."""

    layout: ClassVar[str]
    root: ClassVar[str]  # present only on pages of this layout
    headline: ClassVar[str]
    category_link: ClassVar[str]
    content: ClassVar[str]
    lead_img: ClassVar[str]
    lead_caption: ClassVar[str]
    gallery: ClassVar[str] = "figure.image-gallery"

    def __init__(self, response: TextResponse):
        self.response = response

    @classmethod
    def matches(cls, response: TextResponse) -> bool:
        return bool(response.css(cls.root))

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.response.url}>"

    # -- metadata readers -------------------------------------------------

    @cached_property
    def json_ld(self) -> dict:
        """The page's NewsArticle object, strings decoded; {} when absent or broken."""
        for script in self.response.css('script[type="application/ld+json"]::text').getall():
            try:
                data = json.loads(script, strict=False)
            except ValueError:
                continue
            candidates = data.get("@graph", [data]) if isinstance(data, dict) else data
            for candidate in candidates if isinstance(candidates, list) else []:
                kind = candidate.get("@type") if isinstance(candidate, dict) else None
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(name, str) and name in NEWS_TYPES for name in kinds):
                    return decoded(candidate)
        return {}

    def ld_text(self, key: str) -> Optional[str]:
        return clean_text(self.json_ld.get(key))

    def meta(self, key: str) -> Optional[str]:
        """``<meta name=key>`` or ``<meta property=key>`` content, cleaned."""
        values = self.metas(key)
        return values[0] if values else None

    def metas(self, key: str) -> list[str]:
        query = "//meta[@name=$key or @property=$key]/@content"
        values = self.response.xpath(query, key=key).getall()
        return [text for text in map(clean_text, values) if text]

    def css_text(self, query: str) -> Optional[str]:
        return selector_text(first(self.response.css(query)))

    # -- fields -------------------------------------------------------------

    def canonical_url(self) -> str:
        """The record's URL: the page's own address (the response URL, after
        redirects) as an article address: https://www.sulselsatu.com, no
        query (``?page=2`` dropped), no fragment. The address the page claims
        (canonical link, else og:url) is taken only when it is an article
        address of the site that agrees with that: a page cannot give its
        record another article's address (``foreign_canonical``)."""
        claimed = self.claimed_url
        if claimed and not self.is_foreign(claimed):
            return urls.article_url(claimed)
        return urls.article_url(self.response.url)

    def foreign_canonical(self) -> Optional[str]:
        """The address the page claims when the record does not take it
        (another article, another site, no article); None when the page
        claims none or its own."""
        claimed = self.claimed_url
        return claimed if claimed and self.is_foreign(claimed) else None

    @cached_property  # read for the record's url, its category_slug and the foreign canonical check
    def claimed_url(self) -> Optional[str]:
        """The address the page gives itself: its canonical link, else its og:url, made absolute."""
        for found in (self.response.css('link[rel~="canonical"]::attr(href)').get(), self.meta("og:url")):
            if found and found.strip():
                return self.response.urljoin(found.strip())
        return None

    def is_foreign(self, claimed: str) -> bool:
        """Whether *claimed* is anything but this page's own article address."""
        if not urls.is_article_url(claimed):
            return True
        own = urls.article_url(self.response.url)
        return urls.normalize_url(urls.article_url(claimed)) != urls.normalize_url(own)

    def title(self) -> Optional[str]:
        title_tag = self.css_text("head title")
        return (
            self.ld_text("headline")
            or self.meta("og:title")
            or self.css_text(self.headline)
            or (TITLE_SUFFIX.sub("", title_tag) if title_tag else None)
        )

    def author(self) -> Optional[str]:
        return first_name(self.json_ld.get("author")) or self.meta("author")

    def editor(self) -> Optional[str]:
        return None

    def published_at(self) -> Optional[str]:
        return (
            parse_date(self.ld_text("datePublished"))
            or parse_date(self.meta("article:published_time"))
            or parse_date(self.visible_published())
        )

    def modified_at(self) -> Optional[str]:
        return (
            parse_date(self.ld_text("dateModified"))
            or parse_date(self.meta("article:modified_time"))
            or parse_date(self.visible_modified())
        )

    def visible_published(self) -> Optional[str]:
        return None

    def visible_modified(self) -> Optional[str]:
        return None

    def category(self) -> Optional[str]:
        section = self.json_ld.get("articleSection")
        if isinstance(section, list):
            section = section[0] if section else None
        links = self.response.css(self.category_link)
        return (
            clean_text(section)
            or self.meta("article:section")
            or selector_text(links[-1] if links else None)
        )

    def category_slug(self) -> Optional[str]:
        return urls.category_slug(self.canonical_url())

    def tags(self) -> list[str]:
        """Tags in page order, each once: article:tag metas, else the visible tag links."""
        found = self.metas("article:tag") or [
            text for text in map(selector_text, self.response.css(f"{self.root} a[rel~=tag]")) if text
        ]
        return list(dict.fromkeys(found))

    def summary(self) -> Optional[str]:
        return self.meta("description")

    def dateline(self) -> Optional[str]:
        """The place of the opening credit line ``SULSELSATU.com, PLACE – ``."""
        paragraphs = self.body_paragraphs()
        match = CREDIT_LINE.match(paragraphs[0]) if paragraphs else None
        return clean_text(match["place"]) if match else None

    @abstractmethod
    def body_paragraphs(self) -> list[str]:
        """The article's paragraphs on this page, cleaned, in order."""

    def lead_image(self) -> Optional[Image]:
        """The lead figure, if the page has one. Its caption is the visible
        caption only: a captionless figure's alt repeats the headline."""
        img = first(self.response.css(self.lead_img))
        return self.image(img, self.css_text(self.lead_caption)) if img is not None else None

    def gallery_images(self) -> list[Image]:
        images = []
        for figure in self.response.css(f"{self.content} {self.gallery}"):
            img = first(figure.css("img"))
            caption = selector_text(first(figure.css("figcaption")))
            image = self.image(img, caption) if img is not None else None
            if image:
                images.append(image)
        return images

    def images(self) -> list[Image]:
        lead = self.lead_image()
        return ([lead] if lead else []) + self.gallery_images()

    def image(self, img: Selector, caption: Optional[str]) -> Optional[Image]:
        """An <img> as a record image: original asset URL; site chrome such as
        the default share image (under /assets/images/) is not an article image."""
        # Lazy-loaded images keep the real address in data-src.
        src = clean_text(img.attrib.get("data-src")) or clean_text(img.attrib.get("src"))
        return self.image_at(src, caption)

    def image_at(self, src: Optional[str], caption: Optional[str]) -> Optional[Image]:
        """An image address as found on the page, as a record image (same rules)."""
        if not src or src.startswith("data:"):
            return None
        url = urls.original_image_url(self.response.urljoin(src))
        if urls.is_site_url(url) and urlsplit(url).path.startswith(SITE_CHROME_IMAGES):
            return None
        return {"url": url, "caption": caption}

    def next_page_url(self) -> Optional[str]:
        """Public URL of the next page of a split article, else None."""
        found = (
            self.response.css('link[rel~="next"]::attr(href)').get()
            or self.response.css(f'{self.root} a[rel~="next"]::attr(href)').get()
        )
        if not found:
            return None
        url = urls.normalize_url(self.response.urljoin(found.strip()))
        same_article = urls.article_url(url) == urls.article_url(self.response.url)
        return url if same_article and url != urls.normalize_url(self.response.url) else None
