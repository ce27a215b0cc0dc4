"""The generic reader of an article page that no layout class can read.

When the site changes its theme, the layout classes find no root, or no body
or title, on pages that are plainly articles. ``FallbackArticlePage`` reads
such a page without knowing its markup: the metadata first, as every page
class does (JSON-LD, meta tags: title, author, dates, section, summary, lead
image), and trafilatura's generic main-text extraction for the body. Its
records say ``"extraction": "fallback"``, so a crawl that leans on it is
visible (docs/record.md).

It runs only where the layout classes failed: trafilatura is about ten times
slower than the layout classes' selectors.
"""

from functools import cached_property
from typing import Optional

import trafilatura
from scrapy.http import HtmlResponse, Response

from sulsel_crawler import urls
from sulsel_crawler.dates import parse_date
from sulsel_crawler.pages.base import (
    CREDIT_LINE,
    ArticlePage,
    Image,
    clean_text,
    first,
    is_not_article_line,
    selector_text,
)
from sulsel_crawler.pages.legacy import EDITOR_LINE

# An article's pages with fewer words than this in all have no article text:
# with an empty article container trafilatura still finds a stray heading
# ("Komentar"). The loader applies it (``loaders.build_article``).
MIN_BODY_WORDS = 20
# Embedded posts of social networks, by the class their embed code gives
# them: they quote the post, not the article.
SOCIAL_EMBEDS = (
    "//blockquote[contains(@class, 'twitter-tweet') or contains(@class, 'instagram-media')"
    " or contains(@class, 'tiktok-embed')]"
)
# Not in the site's chrome: its sidebar, menus, footer, or the site header
# (a header inside the article or the main content is the article's).
NOT_CHROME = (
    "not(ancestor::aside or ancestor::nav or ancestor::footer"
    " or ancestor::header[not(ancestor::main or ancestor::article)])"
)
PAGE_FIGURES = f"//figure[.//img][{NOT_CHROME}]"
# Where a page shows a date: <time>, or an element whose class names one.
DATE_ELEMENTS = (
    "//*[self::time or contains(@class, 'date') or contains(@class, 'tanggal') or contains(@class, 'time')]"
    f"[{NOT_CHROME}]"
)


def is_plainly_article(response: Response) -> bool:
    """An HTML page answered 200 at an article address: what the fallback may read."""
    return isinstance(response, HtmlResponse) and response.status == 200 and urls.is_article_url(response.url)


class FallbackArticlePage(ArticlePage):
    layout = "fallback"
    root = "body"
    headline = "h1"
    category_link = '[class*="crumb"] a[href*="/kanal/"]'

    @classmethod
    def matches(cls, response: Response) -> bool:
        return is_plainly_article(response)

    @cached_property
    def text_lines(self) -> list[str]:
        """The main text as trafilatura finds it, one cleaned line per block."""
        extracted = trafilatura.extract(
            self.response.text,
            fast=True,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            prune_xpath=SOCIAL_EMBEDS,
        )
        return [line for line in map(clean_text, (extracted or "").splitlines()) if line]

    def body_paragraphs(self) -> list[str]:
        title = self.title()
        paragraphs = [
            line
            for line in self.text_lines
            if line != title and not is_not_article_line(line) and not EDITOR_LINE.match(line)
        ]
        # The site's articles open with their credit line: what comes before it
        # (a byline, a caption) is not the article.
        credits = [number for number, line in enumerate(paragraphs) if CREDIT_LINE.match(line)]
        return paragraphs[credits[0] :] if credits else paragraphs

    def editor(self) -> Optional[str]:
        for line in reversed(self.text_lines):
            match = EDITOR_LINE.match(line)
            if match:
                return clean_text(match["name"])
        return None

    def visible_published(self) -> Optional[str]:
        """The first date shown on the page outside its chrome (the metadata
        comes first: ``published_at``)."""
        for element in self.response.xpath(DATE_ELEMENTS):
            for candidate in (element.attrib.get("datetime"), selector_text(element)):
                if parse_date(candidate):
                    return candidate
        return None

    def metadata_image(self) -> Optional[str]:
        image = self.json_ld.get("image")
        if isinstance(image, list):
            image = image[0] if image else None
        if isinstance(image, dict):
            image = image.get("url")
        return clean_text(image) or self.meta("og:image")

    def lead_image(self) -> Optional[Image]:
        """The page's share image (JSON-LD, else og:image), with the caption of
        the figure that shows it."""
        found = self.metadata_image()
        if not found:
            return None
        lead = self.image_at(found, None)
        if lead is None:
            return None
        shown = [image for image in self.figures() if image["url"] == lead["url"]]
        return shown[0] if shown else lead

    def gallery_images(self) -> list[Image]:
        """Every other figure of the page with an image, in page order."""
        lead = self.lead_image()
        return [image for image in self.figures() if lead is None or image["url"] != lead["url"]]

    def figures(self) -> list[Image]:
        """The images of the page's figures (not the chrome's), with their captions."""
        images = []
        for figure in self.response.xpath(PAGE_FIGURES):
            image = self.image(figure.xpath(".//img")[0], selector_text(first(figure.xpath(".//figcaption"))))
            if image is not None:
                images.append(image)
        return images
