"""Redesign a snapshot: the same site after a theme change.

`redesign(snapshot_dir, out_dir)` copies a snapshot folder and renders every
article page of the copy (each page of a split article too) in a new theme,
the way a CMS re-renders its whole archive when the theme changes:

- the article markup is new: no `article.post-detail`, no
  `div.detail-berita`; the headline is `h1.story-headline`, the body
  paragraphs are the `<p>` of `div.story-text` (with the same kinds of noise
  as before: an ad, a "Baca Juga" line, a video embed, a tweet embed on every
  fifth article, an "Editor:" credit, the share lines), then a "Berita
  Terkait" list; tags are `rel="tag"` links of `div.topics`, the lead image
  is `figure.story-media`;
- the metadata is kept in part, as a theme's SEO plugin would write it:
  `<title>` (now with ` | Sulselsatu`), canonical, meta description,
  `og:title`/`og:url`/`og:image` and a JSON-LD NewsArticle (headline,
  dates, author, section, image) for every article, legacy ones included;
  the `article:*` and `author` meta tags are gone;
- the site's chrome (header, Terbaru sidebar, footer) is the old one.

The true records stay those of the snapshot: `expected.jsonl` holds them
with `"extraction": "fallback"`, since no page class of the crawler knows
the new theme, and `"source_warc": null` (a crawl without an archive). Listings, sitemaps and the feed are copied unchanged; the
manifest gains `"redesign": {"articles": N, "pages": M}`.

    python -m replica.redesign --site tests/data/site-snapshot --out /tmp/redesigned
"""

import argparse
import html
import json
import re
import shutil
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from .evolve import CDN_RESIZE, DAYS, MONTHS, PUBLIC_ORIGIN

TWEET_EVERY = 5
NEW_THEME_CSS = f"{PUBLIC_ORIGIN}/wp-content/themes/satu-2025/style.css"


def text(value: str) -> str:
    return html.escape(value, quote=False)


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def collapsed(value: str) -> str:
    return " ".join(value.split())


def cdn(image_url: str, width: int = 700, height: int = 393) -> str:
    """The resizing CDN address the site shows for an original asset."""
    path = urlsplit(image_url).path
    if not path.startswith("/assets/"):
        return image_url
    return f"{CDN_RESIZE}{path}&width={width}&height={height}"


def visible_date(iso: str) -> str:
    moment = datetime.fromisoformat(iso)
    return f"{DAYS[moment.weekday()]}, {moment.day} {MONTHS[moment.month - 1]} {moment.year} | {moment:%H:%M} WITA"


def page_files(site_dir: Path, url: str) -> list[Path]:
    """Page 1 of the article at ``url`` and its ``__page-N`` continuations."""
    first = site_dir / urlsplit(url).path.lstrip("/")
    files = [first]
    while (more := first.with_name(f"{first.name}__page-{len(files) + 1}")).is_file():
        files.append(more)
    return files


def split_paragraphs(paragraphs: list[str], files: list[Path]) -> list[list[str]]:
    """The body's paragraphs by the page they were on (each page's visible text
    holds its own paragraphs, in order)."""
    texts = [collapsed(lxml.html.fromstring(file.read_bytes()).text_content()) for file in files]
    per_page: list[list[str]] = [[] for _ in files]
    page = 0
    for paragraph in paragraphs:
        while page < len(files) - 1 and paragraph not in texts[page]:
            page += 1
        per_page[page].append(paragraph)
    return per_page


def head(record: dict, og_image: str | None, next_url: str | None) -> str:
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": record["title"],
        "datePublished": record["published_at"],
        "articleSection": record["category"],
    }
    if record["modified_at"]:
        ld["dateModified"] = record["modified_at"]
    if record["author"]:
        ld["author"] = {"@type": "Person", "name": record["author"]}
    if og_image:
        ld["image"] = og_image
    parts = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{text(record['title'])} | Sulselsatu</title>",
        f'<link rel="canonical" href="{attr(record["url"])}">',
    ]
    if record["summary"]:
        parts.append(f'<meta name="description" content="{attr(record["summary"])}">')
    parts += [
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{attr(record["title"])}">',
        f'<meta property="og:url" content="{attr(record["url"])}">',
    ]
    if og_image:
        parts.append(f'<meta property="og:image" content="{attr(og_image)}">')
    if next_url:
        parts.append(f'<link rel="next" href="{attr(next_url)}">')
    parts += [
        f'<link rel="stylesheet" href="{NEW_THEME_CSS}">',
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>',
    ]
    return "\n".join(parts)


def ad(slot: int) -> str:
    return (
        '<div class="adv-slot adv-slot--inline"><ins class="adsbygoogle" data-ad-client="ca-pub-0000000000000000"'
        f' data-ad-slot="{slot}"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({{}});</script></div>'
    )


def tweet(record: dict) -> str:
    return (
        '<blockquote class="twitter-tweet"><p lang="in" dir="ltr">Pantauan terkini dari lapangan soal '
        f'{text(record["title"].lower())}. Simak videonya!</p>&mdash; Humas Sulsel (@humas_sulsel) '
        '<a href="https://twitter.com/humas_sulsel/status/1">1 Mei 2023</a></blockquote>'
        '<script async src="https://platform.twitter.com/widgets.js"></script>'
    )


def figure(image: dict, css_class: str) -> str:
    caption = image["caption"]
    figcaption = f"<figcaption>{text(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="{css_class}"><img src="{attr(cdn(image["url"]))}" alt="{attr(caption or "")}"'
        f' loading="lazy">{figcaption}</figure>'
    )


def story_text(record: dict, paragraphs: list[str], number: int, related: dict, embed_tweet: bool) -> str:
    """The new body container: the page's paragraphs with the theme's noise."""
    blocks = [f"<p>{text(paragraph)}</p>" for paragraph in paragraphs]
    noise = [
        (1, ad(1000 + number)),
        (2, f'<p><strong>Baca Juga:</strong> <a href="{attr(related["url"])}">{text(related["title"])}</a></p>'),
        (3, '<div class="embed-video"><iframe src="https://www.youtube.com/embed/sulselsatu" title="Video"></iframe></div>'),
    ]
    if embed_tweet:
        noise.append((4, tweet(record)))
    if number == 1:
        noise += [(2 + i, figure(image, "story-gallery")) for i, image in enumerate(record["images"][1:])]
    for position, block in sorted(noise, key=lambda item: item[0], reverse=True):
        blocks.insert(min(position, len(blocks)), block)
    if record["editor"]:
        blocks.append(f'<p class="editor-credit">Editor: <b>{text(record["editor"])}</b></p>')
    blocks.append(
        '<p class="share-gnews">Cek berita dan artikel yang lain di '
        '<a href="https://news.google.com/publications/sulselsatu" rel="nofollow">Google News</a></p>'
    )
    return '<div class="story-text">\n' + "\n".join(blocks) + "\n</div>"


def related_posts(related: list[dict]) -> str:
    items = "".join(f'<li><a href="{attr(record["url"])}">{text(record["title"])}</a></li>' for record in related)
    return f'<div class="related-posts"><h3>Berita Terkait</h3><ul>{items}</ul></div>'


def story(record: dict, paragraphs: list[str], number: int, next_url: str | None, related: list[dict], embed_tweet: bool) -> str:
    slug = record["category_slug"]
    byline = f'<span class="byline-name">{text(record["author"])}</span> ' if record["author"] else ""
    media = figure(record["images"][0], "story-media") if record["images"] and number == 1 else ""
    tags = " ".join(
        f'<a href="{PUBLIC_ORIGIN}/tag/{attr(re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-"))}" rel="tag">{text(tag)}</a>'
        for tag in record["tags"]
    )
    pages = f'<nav class="story-pages"><a rel="next" href="{attr(next_url)}">Selanjutnya</a></nav>' if next_url else ""
    return "\n".join(
        [
            '<div class="story">',
            f'<ul class="crumbs"><li><a href="{PUBLIC_ORIGIN}/">Beranda</a></li>'
            f'<li><a href="{PUBLIC_ORIGIN}/kanal/{slug}">{text(record["category"])}</a></li></ul>',
            f'<header class="story-header"><h1 class="story-headline">{text(record["title"])}</h1>',
            f'<div class="byline">{byline}<span class="byline-time">{visible_date(record["published_at"])}</span></div></header>',
            media,
            story_text(record, paragraphs, number, related[0], embed_tweet),
            related_posts(related),
            f'<div class="topics"><span>Topik:</span> {tags}</div>' if tags else "",
            pages,
            '<section class="discussion" id="komentar"><h3>Komentar</h3><div class="fb-comments"></div></section>',
            "</div>",
        ]
    )


def outer(document, selector: str) -> str:
    found = document.cssselect(selector)
    return lxml.html.tostring(found[0], encoding="unicode") if found else ""


def render_page(original: bytes, record: dict, paragraphs: list[str], number: int, pages: int, related: list[dict], embed_tweet: bool) -> str:
    document = lxml.html.fromstring(original)
    og_image = next(iter(document.xpath('//meta[@property="og:image"]/@content')), None)
    next_url = f"{record['url']}?page={number + 1}" if number < pages else None
    return "\n".join(
        [
            '<!DOCTYPE html>\n<html lang="id">\n<head>',
            head(record, og_image, next_url),
            '</head>\n<body class="theme-satu-2025 single">\n<div id="page" class="site-wrap">',
            outer(document, "header.site-header"),
            '<div class="layout-grid"><main id="content" class="content-area">',
            story(record, paragraphs, number, next_url, related, embed_tweet),
            "</main>",
            outer(document, "aside.sidebar"),
            "</div>",
            outer(document, "footer.site-footer"),
            "</div>\n</body>\n</html>\n",
        ]
    )


def true_record(record: dict) -> dict:
    """A snapshot's gold record as a crawl of the redesigned site writes it."""
    return {**record, "extraction": "fallback", "source_warc": None}


def redesign(snapshot_dir: Path | str, out_dir: Path | str) -> Path:
    """A copy of the snapshot at ``out_dir`` with every article page in the new theme."""
    snapshot_dir, out_dir = Path(snapshot_dir), Path(out_dir)
    shutil.copytree(snapshot_dir, out_dir)
    lines = (snapshot_dir / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    page_count = 0
    for index, record in enumerate(records):
        files = page_files(out_dir / "site", record["url"])
        related = [records[(index + step) % len(records)] for step in (1, 2, 3)]
        per_page = split_paragraphs(record["body"].split("\n\n"), files)
        for number, (file, paragraphs) in enumerate(zip(files, per_page, strict=True), start=1):
            page = render_page(
                file.read_bytes(), record, paragraphs, number, len(files), related, index % TWEET_EVERY == 0
            )
            file.write_text(page, encoding="utf-8")
            page_count += 1
    with (out_dir / "expected.jsonl").open("w", encoding="utf-8") as expected:
        for record in records:
            expected.write(json.dumps(true_record(record), ensure_ascii=False) + "\n")
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest["redesign"] = {"articles": len(records), "pages": page_count}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write a copy of a snapshot after a theme change.")
    parser.add_argument("--site", required=True, help="the snapshot folder (not changed)")
    parser.add_argument("--out", required=True, help="the new folder (must not exist)")
    args = parser.parse_args(argv)
    print(redesign(args.site, args.out))


if __name__ == "__main__":
    main()
