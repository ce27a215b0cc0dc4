"""The article template of 2019 onward (``article.post-detail``).

Paragraphs are the ``<p>`` of ``div.post-content``; everything else in there
(ads, Baca Juga lines, embeds, galleries, video, share lines) is left out.
"""

from functools import cached_property
from typing import Optional

from lxml import etree

from sulsel_crawler.dates import parse_date
from sulsel_crawler.pages.base import (
    ArticlePage,
    clean_text,
    first,
    is_not_article_line,
    node_text,
    without_prefix,
)

# Blocks inside the content whose <p> are not article paragraphs
# (a tweet or Instagram embed carries the post's own text in a <p>).
NOT_ARTICLE_TAGS = {"blockquote", "figure", "figcaption", "aside", "iframe", "script", "noscript"}
NOT_ARTICLE_CLASSES = {
    "ads",
    "baca-juga",
    "gnews-line",
    "wa-line",
    "video-embed",
    "twitter-tweet",
    "instagram-media",
    "image-gallery",
}


class CurrentArticlePage(ArticlePage):
    layout = "current"
    root = "article.post-detail"
    headline = "article.post-detail h1.post-title"
    category_link = 'nav.breadcrumb a[href*="/kanal/"]'
    content = "article.post-detail div.post-content"
    lead_img = "article.post-detail figure.post-image img"
    lead_caption = "article.post-detail figure.post-image figcaption"

    def author(self) -> Optional[str]:
        # Once, from the name link: the avatar's alt only repeats it.
        return (
            super().author()
            or self.css_text("div.post-author a.author-name")
            or clean_text(self.response.css("div.post-author img.avatar::attr(alt)").get())
        )

    def editor(self) -> Optional[str]:
        line = self.css_text("div.post-editor")
        return self.css_text("div.post-editor span") or without_prefix(line, "Editor")

    def visible_published(self) -> Optional[str]:
        machine = self.response.css("div.post-date time::attr(datetime)").get()
        return machine if parse_date(machine) else self.css_text("div.post-date")

    def visible_modified(self) -> Optional[str]:
        return without_prefix(self.css_text("div.post-updated"), "Diperbarui")

    def body_paragraphs(self) -> list[str]:
        return list(self.paragraphs)

    @cached_property
    def paragraphs(self) -> list[str]:
        """Read once: the body and the dateline of its first paragraph both need them."""
        content = first(self.response.css(self.content))
        if content is None:
            return []
        container = content.root
        paragraphs = []
        for paragraph in container.iter("p"):
            if self._inside_non_article_block(paragraph, container):
                continue
            text = clean_text(node_text(paragraph))
            if text and not is_not_article_line(text):
                paragraphs.append(text)
        return paragraphs

    @staticmethod
    def _inside_non_article_block(element: etree._Element, container: etree._Element) -> bool:
        while element is not None and element is not container:
            classes = set((element.get("class") or "").split())
            if element.tag in NOT_ARTICLE_TAGS or classes & NOT_ARTICLE_CLASSES:
                return True
            element = element.getparent()
        return False
