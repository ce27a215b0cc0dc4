"""Evolve a snapshot: the same site some hours later, with new and changed articles.

`evolve(snapshot_dir, out_dir, new=N, modified=M)` copies a snapshot folder
and changes the copy the way the live site would have changed by the time
`now` (default: one day after the snapshot's `site_now`):

- N new articles, published between the old `site_now` and `now`, in the
  current template (each made from an existing current-template article of
  the same category, with a new slug, title, body, image and dates);
- M existing current-template articles modified: one body paragraph gets a
  sentence more; `dateModified`, `article:modified_time` and the visible
  "Diperbarui:" line move to a time after the old `site_now`;
- every page that shows the change: the homepage (headline, Terbaru,
  category blocks, sidebar), each affected category listing and its
  `?page=N` pages (10 a page, at most 5 pages), the author and tag listings
  of the new articles (newest 20), the feed (20 newest), the monthly
  sitemaps and the sitemap index (`lastmod`). The sitemap stays stale: the
  newest `sitemap_missing` new articles are not in it (default: the newest
  tenth, rounded up);
- `expected.jsonl` (gold records of the new articles added, those of the
  modified ones changed) and `manifest.json` (`site_now`, `articles`,
  `linked`, `category_pages`, `sitemap_missing`, and `evolution`: the public
  URLs that are `new`, `modified` and `not_in_sitemap`, and `since`, the old
  `site_now`).

The input folder is never changed. Everything is deterministic for a given
`seed`.

    python -m replica.evolve --site tests/data/site-snapshot --out /tmp/evolved --new 5 --modified 3
"""

import argparse
import hashlib
import html
import json
import math
import random
import re
import shutil
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from .site import load_manifest, page_key

WITA = timezone(timedelta(hours=8))
PUBLIC_ORIGIN = "https://www.sulselsatu.com"
CDN_RESIZE = "https://cdn.sulselsatu.com/imageresize"
SITE_HOSTS = {"www.sulselsatu.com", "sulselsatu.com", "cdn.sulselsatu.com"}
DEFAULT_SHARE_IMAGE = "/assets/images/default-share.jpg"

LISTING_PAGE_SIZE = 10
CATEGORY_MAX_PAGES = 5
TAG_AUTHOR_MAX_PAGES = 2
FEED_SIZE = 20
SIDEBAR_SIZE = 5
HEADLINE_SIZE = 5
HOME_TERBARU_RUN = 15  # the homepage's Terbaru: the 15 after the headline, then a few older links
KANAL_BLOCK_SIZE = 4
EXCERPT_CHARS = 144
SITEMAP_MISSING_SHARE = 0.1
# What a template article's page must have (new pages copy these parts).
TEMPLATE_MARKERS = (
    '<div class="ads ads-inarticle">',
    '<p class="gnews-line">',
    '<p class="wa-line">',
    "<figcaption>",
    '<div class="post-tags">',
    'name="description"',
)

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]

KECAMATAN = [
    "Tamalate", "Panakkukang", "Biringkanaya", "Rappocini", "Manggala",
    "Tallo", "Mariso", "Mamajang", "Bontoala", "Tamalanrea",
]
KABUPATEN = [
    "Gowa", "Maros", "Takalar", "Bone", "Soppeng", "Wajo", "Pinrang",
    "Sidrap", "Bulukumba", "Luwu Utara", "Tana Toraja", "Jeneponto",
]
PASAR = ["Terong", "Pa'baeng-baeng", "Daya", "Sentral", "Butung"]

# (title, lead sentence) per category; {n} a number, {kec}/{kab}/{pasar} a place.
# A lead with {kab} gets the regency as its dateline, else MAKASSAR.
STORIES = {
    "makassar": [
        ("Pemkot Makassar Perbaiki {n} Titik Jalan Rusak di {kec}",
         "Pemerintah Kota Makassar memperbaiki {n} titik jalan rusak di Kecamatan {kec}"),
        ("{n} Lorong di {kec} Ikut Program Lorong Garden",
         "Sebanyak {n} lorong di Kecamatan {kec} ikut serta dalam program Lorong Garden tahun ini"),
    ],
    "sulsel": [
        ("Pemprov Sulsel Salurkan {n} Ton Beras untuk Warga {kab}",
         "Pemerintah Provinsi Sulawesi Selatan menyalurkan {n} ton beras cadangan pangan"
         " untuk warga Kabupaten {kab}"),
        ("Banjir Rendam {n} Rumah di {kab}, BPBD Dirikan Posko",
         "Banjir merendam sedikitnya {n} rumah warga di Kabupaten {kab} sejak dini hari"),
    ],
    "hukum": [
        ("Polisi Amankan {n} Pelaku Balap Liar di {kec}",
         "Polisi mengamankan {n} pelaku balap liar dalam patroli malam di Kecamatan {kec}"),
        ("Kejari Makassar Periksa {n} Saksi Kasus Dana Hibah di {kec}",
         "Kejaksaan Negeri Makassar memeriksa {n} saksi dalam penyidikan kasus dana hibah"
         " di Kecamatan {kec}"),
    ],
    "ekonomi": [
        ("{n} UMKM {kab} Ikuti Pameran Produk Unggulan",
         "Sebanyak {n} pelaku UMKM asal Kabupaten {kab} mengikuti pameran produk unggulan daerah"),
        ("Harga Cabai di Pasar {pasar} Naik {n} Persen",
         "Harga cabai rawit di Pasar {pasar} naik sekitar {n} persen dalam sepekan terakhir"),
    ],
    "politik": [
        ("DPRD Sulsel Bahas {n} Ranperda Usulan Pemprov",
         "DPRD Sulsel mulai membahas {n} rancangan peraturan daerah usulan pemerintah provinsi"),
        ("KPU {kab} Rekrut {n} Petugas Pemutakhiran Data Pemilih",
         "KPU Kabupaten {kab} merekrut {n} petugas pemutakhiran data pemilih"),
    ],
    "olahraga": [
        ("{n} Tim Ramaikan Turnamen Futsal Piala Bupati {kab}",
         "Sebanyak {n} tim ambil bagian dalam turnamen futsal Piala Bupati {kab}"),
        ("KONI Sulsel Siapkan {n} Atlet untuk Porprov",
         "KONI Sulsel menyiapkan {n} atlet untuk berlaga pada Pekan Olahraga Provinsi"),
    ],
    "pendidikan": [
        ("{n} Sekolah di {kab} Terima Bantuan Laptop",
         "Sebanyak {n} sekolah di Kabupaten {kab} menerima bantuan laptop untuk menunjang pembelajaran"),
        ("Unhas Terima {n} Mahasiswa Baru Jalur Prestasi",
         "Universitas Hasanuddin menerima {n} mahasiswa baru melalui jalur prestasi"),
    ],
    "news": [
        ("Kapal Tujuan {kab} Angkut {n} Penumpang dari Makassar",
         "Kapal penumpang tujuan {kab} mengangkut {n} penumpang dari Pelabuhan Soekarno-Hatta Makassar"),
        ("BMKG Catat {n} Titik Panas di {kab}",
         "BMKG mencatat {n} titik panas di wilayah Kabupaten {kab} dalam sepekan terakhir"),
    ],
}
GENERIC_STORIES = [
    ("{n} Relawan Ikuti Pelatihan Tanggap Bencana di {kab}",
     "Sebanyak {n} relawan mengikuti pelatihan tanggap bencana yang digelar di Kabupaten {kab}"),
]
SENTENCES = [
    "Hal itu disampaikan pejabat terkait saat ditemui wartawan di sela kegiatan.",
    "Menurutnya, kegiatan tersebut merupakan bagian dari program kerja tahun ini.",
    "Ia berharap langkah ini dapat dirasakan langsung manfaatnya oleh masyarakat.",
    "Data yang dihimpun menunjukkan jumlah tersebut meningkat dibandingkan periode yang sama tahun lalu.",
    "Pihaknya juga akan melibatkan pemerintah kecamatan hingga tingkat RT dan RW dalam pelaksanaannya.",
    "Warga setempat menyambut baik kegiatan tersebut dan berharap program serupa terus berlanjut.",
    "“Kami ingin memastikan semuanya berjalan sesuai rencana,” ujarnya.",
    "Anggaran kegiatan ini bersumber dari APBD tahun berjalan.",
    "Evaluasi akan dilakukan secara berkala untuk memastikan target tercapai.",
    "Kegiatan ditutup dengan peninjauan langsung ke sejumlah titik lokasi.",
]
UPDATE_SENTENCE = (
    "Pembaruan: hingga {date} pukul {time} WITA, pihak terkait masih melakukan pendataan lanjutan."
)


# -- dates and text ---------------------------------------------------------


def parse_site_time(value: str) -> datetime:
    """An ISO 8601 time; without an offset it is site time (WITA)."""
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=WITA)
    return moment.astimezone(WITA)


def iso(moment: datetime) -> str:
    return moment.astimezone(WITA).isoformat()


def visible_date(moment: datetime) -> str:
    """`Selasa, 13 Mei 2025 09:12` (post date, Diperbarui line)."""
    return f"{DAYS[moment.weekday()]}, {list_date(moment)}"


def list_date(moment: datetime) -> str:
    """`13 Mei 2025 09:12` (listings, Terbaru, category blocks)."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year} {moment:%H:%M}"


def credit_date(moment: datetime) -> str:
    """`Selasa (13/5/2025)`, the date in a credit line."""
    return f"{DAYS[moment.weekday()]} ({moment.day}/{moment.month}/{moment.year})"


def rss_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(WITA))


def slugify(title: str) -> str:
    """The CMS's slug: lower case, apostrophes dropped, other runs of non-alphanumerics one `-`."""
    text = title.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def text(value: str) -> str:
    return html.escape(value, quote=False)


def attr(value: str) -> str:
    return html.escape(value, quote=True)


def url_attr(url: str) -> str:
    """A URL in an attribute as the CMS writes it: `&` left as is (`&width=` of the resizer)."""
    return url.replace('"', "%22")


def excerpt(record: dict) -> str:
    """First 144 characters of the first paragraph, then `...`."""
    first = record["body"].split("\n\n")[0]
    return first[:EXCERPT_CHARS] + "..."


def resized(image_url: str | None, width: int, height: int) -> str:
    """The CDN resize URL of an article image (the default share image when there is none)."""
    path = urlsplit(image_url).path if image_url else DEFAULT_SHARE_IMAGE
    return f"{CDN_RESIZE}{path}&width={width}&height={height}"


def url_path(url: str) -> str:
    return urlsplit(url).path


def public_url(href: str) -> str:
    """A link as the record's URL: www host, no query, no fragment."""
    parts = urlsplit(html.unescape(href))
    return f"{PUBLIC_ORIGIN}{parts.path}"


def published(record: dict) -> datetime:
    return parse_site_time(record["published_at"])


def last_changed(record: dict) -> str:
    return record["modified_at"] or record["published_at"]


def record_id(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def with_body(record: dict, body: str) -> dict:
    return {**record, "body": body, "word_count": len(body.split()), "content_hash": content_hash(body)}


# -- markup of the site's blocks ----------------------------------------------


def list_item(record: dict) -> str:
    """One `article.list-item` of a listing (category, tag, author, homepage Terbaru)."""
    url, title = url_attr(record["url"]), record["title"]
    image = url_attr(resized(record["image_url"], 300, 200))
    category = f'<a href="{PUBLIC_ORIGIN}/kanal/{record["category_slug"]}">{text(record["category"])}</a>'
    return (
        '<article class="list-item">\n'
        f'<div class="post-image-bg"><a href="{url}"><img data-src="{image}"'
        f' alt="{attr(title)}" class="lazyload"></a></div>\n'
        f'<div class="list-text"><span class="kanal">{category}</span>'
        f' <span class="tgl">{list_date(published(record))}</span>\n'
        f'<h2 class="list-title"><a href="{url}">{text(title)}</a></h2>\n'
        f'<p class="excerpt">{text(excerpt(record))}</p></div>\n'
        "</article>\n"
    )


def headline_item(record: dict) -> str:
    url, title = url_attr(record["url"]), record["title"]
    image = url_attr(resized(record["image_url"], 800, 450))
    return (
        f'<div class="headline-item"><div class="post-image-bg"><a href="{url}">'
        f'<img data-src="{image}" alt="{attr(title)}" class="lazyload"></a></div>'
        f'<div class="headline-caption"><span class="kanal">{text(record["category"])}</span>'
        f'<h2><a href="{url}">{text(title)}</a></h2></div></div>\n'
    )


def kanal_block_item(record: dict) -> str:
    return (
        f'<li><a href="{attr(record["url"])}">{text(record["title"])}</a>'
        f' <span class="tgl">{list_date(published(record))}</span></li>'
    )


def terbaru_item(record: dict) -> str:
    """One item of the sidebar's Terbaru list."""
    return (
        '<li class="terbaru-item"><div class="terbaru-text">'
        f'<span class="kanal">{text(record["category"])}</span>'
        f'<span class="tgl">{list_date(published(record))}</span>'
        f'<h4 class="terbaru-title"><a href="{attr(record["url"])}">{text(record["title"])}</a></h4>'
        f'<p class="terbaru-excerpt">{text(excerpt(record))}</p></div></li>\n'
    )


def terbaru_list(records: list[dict]) -> str:
    return '<ul class="terbaru-list">\n' + "".join(map(terbaru_item, records)) + "</ul>"


def feed_item(record: dict) -> str:
    url = text(record["url"])
    creator = (
        f'<dc:creator><![CDATA[{record["author"]}]]></dc:creator>\n' if record["author"] else ""
    )
    return (
        "<item>\n"
        f'<title>{text(record["title"])}</title>\n'
        f"<link>{url}</link>\n"
        f'<guid isPermaLink="true">{url}</guid>\n'
        f"<pubDate>{rss_date(published(record))}</pubDate>\n"
        f'<category><![CDATA[{record["category"]}]]></category>\n'
        f"{creator}"
        f"<description><![CDATA[{excerpt(record)}]]></description>\n"
        "</item>\n"
    )


def sitemap_url(loc: str, lastmod: str) -> str:
    return f"<url><loc>{text(loc)}</loc><lastmod>{lastmod}</lastmod></url>\n"


def sitemap_index_entry(month: str, lastmod: str) -> str:
    return f"<sitemap><loc>{PUBLIC_ORIGIN}/sitemap/{month}.xml</loc><lastmod>{lastmod}</lastmod></sitemap>\n"


def pagination(base: str, page: int, pages: int) -> str:
    """`nav.pagination` of page `page` of `pages` (none for a single page)."""
    if pages <= 1:
        return ""
    items = []
    if page > 1:
        previous = f'<a rel="prev" href="{base}?page={page - 1}">&laquo; Sebelumnya</a>'
        items.append(f'<li class="prev">{previous}</li>')
    for number in range(1, pages + 1):
        if number == page:
            items.append(f'<li class="active"><span>{number}</span></li>')
        else:
            items.append(f'<li><a href="{base}?page={number}">{number}</a></li>')
    if page < pages:
        following = f'<a rel="next" href="{base}?page={page + 1}">Selanjutnya &raquo;</a>'
        items.append(f'<li class="next">{following}</li>')
    return '<nav class="pagination" aria-label="Halaman"><ul>' + "".join(items) + "</ul></nav>\n"


# -- the snapshot's files -------------------------------------------------------


LIST_ITEMS = re.compile(r'<article class="list-item">\n.*?\n</article>\n', re.S)
LIST_POSTS = re.compile(r'(<div class="list-posts">\n)(.*?</article>\n|)(</div>\n)', re.S)
PAGINATION = re.compile(r'<nav class="pagination" aria-label="Halaman">.*?</nav>\n', re.S)
TERBARU_LIST = re.compile(r'<ul class="terbaru-list">\n.*?</ul>', re.S)
LINK_ATTRIBUTES = re.compile(r'(?:href|src|data-src|data-href|content)="([^"]*)"')
XML_LINKS = re.compile(r"<(?:loc|link)>([^<]*)</(?:loc|link)>")
FIRST_HREF = re.compile(r'href="([^"]+)"')


def set_value(page: str, opening: str, value: str, count: int = 0) -> str:
    """The attribute value after `opening` (markup up to the value's opening
    quote, e.g. `<link rel="canonical" href="`) becomes `value`."""
    return re.sub(re.escape(opening) + r'[^"]*"', lambda _: f'{opening}{value}"', page, count=count)


def linked_keys(page: str) -> set[str]:
    """Page keys of every link to the site (pages, images, assets) in one file."""
    keys = set()
    for value in LINK_ATTRIBUTES.findall(page) + XML_LINKS.findall(page):
        parts = urlsplit(html.unescape(value).strip())
        if parts.hostname in SITE_HOSTS:
            keys.add(page_key(parts.path or "/", parts.query))
    return keys


class SiteFiles:
    """The `site/` folder of a snapshot, addressed by URL path and page number."""

    def __init__(self, site_dir: Path):
        self.root = site_dir
        self.written: set[str] = set()

    def file(self, path: str, page: int = 1) -> Path:
        relative = path[1:]
        if relative == "" or relative.endswith("/"):
            relative += "index.html"
        if page >= 2:
            relative += f"__page-{page}"
        return self.root / relative

    def exists(self, path: str, page: int = 1) -> bool:
        return self.file(path, page).is_file()

    def read(self, path: str, page: int = 1) -> str:
        return self.file(path, page).read_text(encoding="utf-8")

    def write(self, path: str, content: str, page: int = 1) -> None:
        file = self.file(path, page)
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(content, encoding="utf-8")
        self.written.add(page_key(path, f"page={page}"))

    def pages(self, path: str) -> int:
        count = 0
        while self.exists(path, count + 1):
            count += 1
        return count


# -- evolution --------------------------------------------------------------------


@dataclass
class NewArticle:
    record: dict
    template: dict  # the record of the article whose page was the template
    author_path: str | None
    tag_paths: list[str]


class Evolution:
    def __init__(
        self, out_dir: Path, now: datetime, seed: int, sitemap_missing: int = 0, title_numbers: int = 250
    ):
        self.out = out_dir
        self.files = SiteFiles(out_dir / "site")
        self.manifest = load_manifest(out_dir)
        self.records = [
            json.loads(line)
            for line in (out_dir / "expected.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        self.since = parse_site_time(self.manifest["site_now"])
        if now <= self.since:
            raise ValueError(f"now ({iso(now)}) must be after the snapshot's site_now ({iso(self.since)})")
        self.now = now
        self.rng = random.Random(seed)
        self.sitemap_missing = sitemap_missing
        self.title_numbers = title_numbers
        self.new_articles: list[NewArticle] = []
        self.modified_urls: list[str] = []
        self.not_in_sitemap: list[str] = []
        self._sidebar: str | None = None

    # -- which articles --------------------------------------------------------

    @cached_property
    def _not_plain(self) -> set[str]:
        """Paths of articles that are challenged, redirected to, deleted or split."""
        linked = self.manifest["linked"]
        split = {key.removesuffix("?page=2") for key in linked if key.endswith(".html?page=2")}
        return (
            set(self.manifest["challenge"]["paths"])
            | set(self.manifest["redirects"].values())
            | set(self.manifest["not_found"])
            | split
        )

    def _plain_current(self, record: dict) -> bool:
        """A current-template article served as is: not challenged, split,
        redirected nor deleted."""
        path = url_path(record["url"])
        if record["modified_at"] is None or path in self._not_plain:
            return False
        page = self.files.read(path) if self.files.exists(path) else ""
        return (
            '<article class="post-detail"' in page
            and '"dateModified": "' in page
            and 'property="article:modified_time"' in page
        )

    def template_candidates(self) -> list[dict]:
        """Current-template articles of the plainest kind, to copy for new articles."""
        candidates = []
        for record in self.records:
            if not self._plain_current(record):
                continue
            if not (record["author"] and record["summary"] and record["dateline"] and record["tags"]):
                continue
            if len(record["images"]) != 1 or not record["image_caption"]:
                continue
            if record["title"].startswith(("FOTO:", "VIDEO:")):
                continue
            page = self.files.read(url_path(record["url"]))
            if not all(marker in page for marker in TEMPLATE_MARKERS):
                continue
            candidates.append(record)
        return sorted(candidates, key=lambda record: record["url"])

    # -- new articles ------------------------------------------------------------

    def add_new(self, count: int) -> None:
        if count <= 0:
            return
        templates = self.template_candidates()
        if not templates:
            raise ValueError("the snapshot has no current-template article to use as a template")
        minutes = int((self.now - self.since).total_seconds() // 60)
        if minutes <= count:
            raise ValueError(f"{count} new articles need more than {minutes} minutes before now")
        offsets = sorted(self.rng.sample(range(1, minutes), count))
        taken_paths = {url_path(record["url"]) for record in self.records} | set(self.manifest["redirects"])
        taken_paths |= set(self.manifest["not_found"])
        taken_titles = {record["title"] for record in self.records}
        next_post_id = self._highest_post_id() + 1
        for offset in offsets:
            moment = self.since + timedelta(minutes=offset)
            template = self.rng.choice(templates)
            while True:
                title, lead, dateline = self._story(template["category_slug"], moment, taken_titles)
                path = f"/{moment:%Y/%m/%d}/{template['category_slug']}/{slugify(title)}.html"
                if path not in taken_paths:
                    break
                taken_titles.add(title)  # another title with this slug exists: pick again
            taken_paths.add(path)
            taken_titles.add(title)
            self.new_articles.append(
                self._write_new_article(template, path, title, lead, dateline, moment, next_post_id)
            )
            next_post_id += 1

    def _highest_post_id(self) -> int:
        """The highest `post-N` id of the current-template article pages."""
        highest = 100000
        for record in self.records:
            path = url_path(record["url"])
            if record["modified_at"] is not None and self.files.exists(path):
                found = re.search(r'<article class="post-detail" id="post-(\d+)"', self.files.read(path))
                highest = max(highest, int(found[1])) if found else highest
        return highest

    def _story(self, category: str, moment: datetime, taken: set[str]) -> tuple[str, str, str]:
        stories = STORIES.get(category, GENERIC_STORIES)
        for _ in range(1000):
            title_pattern, lead_pattern = self.rng.choice(stories)
            places = {
                "n": self.rng.randint(3, self.title_numbers),
                "kec": self.rng.choice(KECAMATAN),
                "kab": self.rng.choice(KABUPATEN),
                "pasar": self.rng.choice(PASAR),
            }
            title = title_pattern.format(**places)
            if title in taken:
                continue
            dateline = places["kab"].upper() if "{kab}" in lead_pattern else "MAKASSAR"
            lead = f"{lead_pattern.format(**places)}, {credit_date(moment)}."
            return title, lead, dateline
        raise RuntimeError("could not find a new title")

    def _write_new_article(
        self, template: dict, path: str, title: str, lead: str, dateline: str, moment: datetime, post_id: int
    ) -> NewArticle:
        url = PUBLIC_ORIGIN + path
        page = self.files.read(url_path(template["url"]))
        image_url = (
            f"{PUBLIC_ORIGIN}/assets/media/upload/{moment:%Y/%m}/{self.rng.getrandbits(48):012x}.jpg"
        )
        credit = f"SULSELSATU.com, {dateline} – "
        paragraphs = [credit + lead] + self.rng.sample(SENTENCES, self.rng.randint(4, 6))
        body = "\n\n".join(paragraphs)
        published_at = iso(moment)
        record = {
            **template,
            "id": record_id(url),
            "url": url,
            "title": title,
            "published_at": published_at,
            "modified_at": published_at,
            "summary": paragraphs[0],
            "dateline": dateline,
            "image_url": image_url,
            "images": [{"url": image_url, "caption": template["image_caption"]}],
        }
        record = with_body(record, body)
        related = self._related(template)

        # head
        page = re.sub(r"<title>.*?</title>", f"<title>{text(title)} - Sulselsatu</title>", page, count=1)
        for key, value in (
            ('name="description"', paragraphs[0]),
            ('property="og:description"', paragraphs[0]),
            ('property="og:title"', title),
            ('name="twitter:title"', title),
            ('property="og:url"', url),
            ('property="og:image"', resized(image_url, 1200, 675)),
            ('name="twitter:image"', resized(image_url, 1200, 675)),
            ('property="article:published_time"', published_at),
            ('property="article:modified_time"', published_at),
        ):
            escaped = url_attr(value) if value.startswith("https://") else attr(value)
            page = set_value(page, f'<meta {key} content="', escaped)
        page = set_value(page, '<link rel="canonical" href="', url_attr(url), count=1)
        page = self._replace_json_ld(page, {
            "mainEntityOfPage": {"@id": url},
            "headline": html.escape(title, quote=False),
            "description": html.escape(paragraphs[0], quote=False),
            "image": {"url": resized(image_url, 1200, 675)},
            "datePublished": published_at,
            "dateModified": published_at,
        })

        # article
        page = set_value(page, '<article class="post-detail" id="', f"post-{post_id}", count=1)
        page = re.sub(
            r'<h1 class="post-title">.*?</h1>', f'<h1 class="post-title">{text(title)}</h1>', page, count=1
        )
        page = re.sub(
            r'<time datetime="[^"]*">[^<]*</time>',
            f'<time datetime="{published_at}">{visible_date(moment)}</time>',
            page,
            count=1,
        )
        page = re.sub(r'<div class="post-updated">[^\n]*</div>\n', "", page, count=1)
        page = set_value(
            page, '<figure class="post-image"><img src="', url_attr(resized(image_url, 700, 393)), count=1
        )
        page = re.sub(
            r'<div class="post-content" id="post-content">\n.*?</p>\n</div>\n(?=<div class="post-tags">)',
            lambda _: self._content(page, paragraphs, related),
            page,
            count=1,
            flags=re.S,
        )
        page = set_value(page, '<div class="fb-comments" data-href="', url_attr(url))
        self.files.write(path, page)

        author_href = re.search(r'<div class="post-author"><a href="([^"]+)"', page)
        tag_hrefs = re.findall(r'<a href="([^"]+)" rel="tag">', page)
        return NewArticle(
            record=record,
            template=template,
            author_path=url_path(html.unescape(author_href[1])) if author_href else None,
            tag_paths=list(dict.fromkeys(url_path(html.unescape(href)) for href in tag_hrefs)),
        )

    def _related(self, template: dict) -> dict | None:
        """An older article (of the same category where there is one) for the Baca Juga line."""
        others = [record for record in self._relatable if record["url"] != template["url"]]
        same = [record for record in others if record["category_slug"] == template["category_slug"]]
        return self.rng.choice(same or others) if others else None

    @cached_property
    def _relatable(self) -> list[dict]:
        """The snapshot's articles a Baca Juga line may name (not challenged), by URL."""
        challenged = set(self.manifest["challenge"]["paths"])
        return sorted(
            (record for record in self.records if url_path(record["url"]) not in challenged),
            key=lambda record: record["url"],
        )

    @staticmethod
    def _content(template_page: str, paragraphs: list[str], related: dict | None) -> str:
        ads = re.search(r'<div class="ads ads-inarticle">.*?</div>\n', template_page, re.S)[0]
        gnews = re.search(r'<p class="gnews-line">.*?</p>\n', template_page)[0]
        wa_line = re.search(r'<p class="wa-line">.*?</p>\n', template_page)[0]
        first, *rest = paragraphs
        credit, _, lead = first.partition(" – ")
        lines = [f"<p><strong>{text(credit)}</strong> – {text(lead)}</p>\n", ads]
        for number, paragraph in enumerate(rest):
            lines.append(f"<p>{text(paragraph)}</p>\n")
            if number == 1 and related:
                lines.append(
                    f'<p><strong>Baca Juga : <a href="{url_attr(related["url"])}">'
                    f'{text(related["title"])}</a></strong></p>\n'
                )
        lines += [gnews, wa_line]
        return '<div class="post-content" id="post-content">\n' + "".join(lines) + "</div>\n"

    @staticmethod
    def _replace_json_ld(page: str, changes: dict) -> str:
        match = re.search(r'(<script type="application/ld\+json">)(.*?)(</script>)', page, re.S)
        data = json.loads(match[2])
        for key, value in changes.items():
            if isinstance(value, dict) and isinstance(data.get(key), dict):
                data[key] = {**data[key], **value}
            elif key in data:
                data[key] = value
        replacement = match[1] + json.dumps(data, ensure_ascii=False) + match[3]
        return page[: match.start()] + replacement + page[match.end():]

    # -- modified articles ----------------------------------------------------

    def modify(self, count: int) -> None:
        if count <= 0:
            return
        missing = set(self.manifest["sitemap_missing"])
        candidates = []
        for record in sorted(self.records, key=lambda record: record["url"]):
            path = url_path(record["url"])
            if path in missing or not self._plain_current(record):
                continue
            if self._changeable_paragraphs(self.files.read(path), record):
                candidates.append(record)
        if len(candidates) < count:
            raise ValueError(f"only {len(candidates)} articles can be modified, {count} asked")
        seconds = int((self.now - self.since).total_seconds())
        if seconds < 2:
            raise ValueError("modified articles need at least 2 seconds between site_now and now")
        by_url = {record["url"]: index for index, record in enumerate(self.records)}
        for record in self.rng.sample(candidates, count):
            moment = self.since + timedelta(seconds=self.rng.randint(1, seconds - 1))
            self.records[by_url[record["url"]]] = self._modify_article(record, moment)
            self.modified_urls.append(record["url"])

    @staticmethod
    def _changeable_paragraphs(page: str, record: dict) -> list[tuple[re.Match, int]]:
        """Plain-text paragraphs of the content (not the first) found once in the body."""
        content = re.search(
            r'<div class="post-content" id="post-content">\n(.*?)\n</div>\n<div class="post-tags">', page, re.S
        )
        if content is None:
            return []
        paragraphs = record["body"].split("\n\n")
        found = []
        for match in re.finditer(r"^<p>([^<>]+)</p>$", content[1], re.M):
            cleaned = " ".join(html.unescape(match[1]).split())
            if match.start() > 0 and paragraphs[1:].count(cleaned) == 1 and paragraphs[0] != cleaned:
                found.append((match, content.start(1)))
        return found

    def _modify_article(self, record: dict, moment: datetime) -> dict:
        path = url_path(record["url"])
        page = self.files.read(path)
        match, base = self.rng.choice(self._changeable_paragraphs(page, record))
        old_text = " ".join(html.unescape(match[1]).split())
        addition = UPDATE_SENTENCE.format(date=credit_date(moment), time=f"{moment:%H.%M}")
        new_text = f"{old_text} {addition}"
        start, end = base + match.start(), base + match.end()
        page = page[:start] + f"<p>{match[1]} {text(addition)}</p>" + page[end:]

        modified_at = iso(moment)
        page = set_value(page, '"dateModified": "', modified_at, count=1)
        page = set_value(page, '<meta property="article:modified_time" content="', modified_at, count=1)
        updated = f'<div class="post-updated">Diperbarui: {visible_date(moment)}</div>\n'
        if '<div class="post-updated">' in page:
            page = re.sub(r'<div class="post-updated">[^\n]*</div>\n', updated, page, count=1)
        else:
            page = re.sub(r'(<div class="post-date">[^\n]*</div>\n)', lambda m: m[1] + updated, page, count=1)
        self.files.write(path, page)

        paragraphs = record["body"].split("\n\n")
        index = paragraphs.index(old_text, 1)
        paragraphs[index] = new_text
        return with_body({**record, "modified_at": modified_at}, "\n\n".join(paragraphs))

    # -- pages that list articles --------------------------------------------

    def all_records_newest_first(self) -> list[dict]:
        records = [article.record for article in self.new_articles] + self.records
        return sorted(records, key=lambda record: (published(record), record["url"]), reverse=True)

    def sidebar(self) -> str:
        """The Terbaru list of the site at `now` (call once all new articles are added)."""
        if self._sidebar is None:
            self._sidebar = terbaru_list(self.all_records_newest_first()[:SIDEBAR_SIZE])
        return self._sidebar

    def refresh_sidebar(self, path: str, page: int = 1) -> None:
        content = self.files.read(path, page)
        self.files.write(path, TERBARU_LIST.sub(lambda _: self.sidebar(), content, count=1), page)

    def update_listing(self, path: str, new_records: list[dict], max_pages: int) -> int:
        """Puts new articles on top of a listing and its `?page=N` pages; the number of pages."""
        old_pages = self.files.pages(path)
        if old_pages == 0:
            return 0
        contents = [self.files.read(path, number) for number in range(1, old_pages + 1)]
        items = [item for content in contents for item in LIST_ITEMS.findall(content)]
        items = [list_item(record) for record in new_records] + items
        items = items[: max_pages * LISTING_PAGE_SIZE]
        pages = max(1, math.ceil(len(items) / LISTING_PAGE_SIZE))
        base = PUBLIC_ORIGIN + path
        for number in range(1, pages + 1):
            content = contents[number - 1] if number <= old_pages else contents[-1]
            chunk = items[(number - 1) * LISTING_PAGE_SIZE: number * LISTING_PAGE_SIZE]
            content = PAGINATION.sub("", content)
            content = LIST_POSTS.sub(
                lambda m: m[1] + "".join(chunk) + m[3] + pagination(base, number, pages), content, count=1
            )
            content = re.sub(
                r"<title>(.*?)(?: - Halaman \d+)? - Sulselsatu</title>",
                lambda m: f"<title>{m[1]}{f' - Halaman {number}' if number > 1 else ''} - Sulselsatu</title>",
                content,
                count=1,
            )
            canonical = base if number == 1 else f"{base}?page={number}"
            content = set_value(content, '<link rel="canonical" href="', canonical, count=1)
            content = TERBARU_LIST.sub(lambda _: self.sidebar(), content, count=1)
            self.files.write(path, content, number)
        return pages

    def update_listings(self) -> None:
        by_listing: dict[str, tuple[list[dict], int]] = {}
        for article in sorted(self.new_articles, key=lambda article: published(article.record), reverse=True):
            record = article.record
            listings = [(f"/kanal/{record['category_slug']}", CATEGORY_MAX_PAGES)]
            if article.author_path:
                listings.append((article.author_path, TAG_AUTHOR_MAX_PAGES))
            listings += [(tag_path, TAG_AUTHOR_MAX_PAGES) for tag_path in article.tag_paths]
            for listing, max_pages in listings:
                by_listing.setdefault(listing, ([], max_pages))[0].append(record)
        for listing, (records, max_pages) in sorted(by_listing.items()):
            pages = self.update_listing(listing, records, max_pages)
            if listing.startswith("/kanal/") and pages:
                self.manifest["category_pages"][listing.removeprefix("/kanal/")] = pages

    def update_homepage(self) -> None:
        page = self.files.read("/")
        newest = sorted((article.record for article in self.new_articles), key=published, reverse=True)
        by_url = {record["url"]: record for record in self.records + newest}

        slider = re.search(r'(<div class="headline-slider">\n)(.*?)(</div></section>)', page, re.S)
        old_headline = slider[2].splitlines(keepends=True)
        headline = [headline_item(record) for record in newest] + old_headline
        pushed_out = []
        for line in headline[HEADLINE_SIZE:]:
            record = by_url.get(public_url(FIRST_HREF.search(line)[1]))
            if record:
                pushed_out.append(list_item(record))
        page = page[: slider.start(2)] + "".join(headline[:HEADLINE_SIZE]) + page[slider.end(2):]

        section = re.search(
            r'(<section class="terbaru-home">.*?<div class="list-posts">\n)(.*?)(</div></section>)', page, re.S
        )
        old_items = LIST_ITEMS.findall(section[2])
        run = (pushed_out + old_items[:HOME_TERBARU_RUN])[:HOME_TERBARU_RUN]
        page = page[: section.start(2)] + "".join(run + old_items[HOME_TERBARU_RUN:]) + page[section.end(2):]

        for slug in dict.fromkeys(record["category_slug"] for record in newest):
            block = re.search(
                r'(<section class="kanal-block"><h3 class="block-title">'
                rf'<a href="{re.escape(PUBLIC_ORIGIN)}/kanal/{slug}">[^<]*</a></h3><ul>)(.*?)(</ul></section>)',
                page,
            )
            if block is None:
                continue
            old = re.findall(r"<li>.*?</li>", block[2])
            items = [kanal_block_item(record) for record in newest if record["category_slug"] == slug] + old
            page = page[: block.start(2)] + "".join(items[:KANAL_BLOCK_SIZE]) + page[block.end(2):]
        page = TERBARU_LIST.sub(lambda _: self.sidebar(), page, count=1)
        self.files.write("/", page)

    def update_feed(self) -> None:
        feed = self.files.read("/feed/")
        items = re.findall(r"<item>\n.*?\n</item>\n", feed, re.S)
        newest = sorted((article.record for article in self.new_articles), key=published, reverse=True)
        items = ([feed_item(record) for record in newest] + items)[:FEED_SIZE]
        start = feed.index("<item>\n")
        end = feed.rindex("</item>\n") + len("</item>\n")
        feed = feed[:start] + "".join(items) + feed[end:]
        if newest:
            feed = re.sub(
                r"<lastBuildDate>[^<]*</lastBuildDate>",
                f"<lastBuildDate>{rss_date(published(newest[0]))}</lastBuildDate>",
                feed,
                count=1,
            )
        self.files.write("/feed/", feed)

    def update_sitemaps(self) -> None:
        new_records = sorted((article.record for article in self.new_articles), key=published)
        missing_count = min(self.sitemap_missing, len(new_records))
        hidden = new_records[len(new_records) - missing_count:] if missing_count else []
        self.not_in_sitemap = [record["url"] for record in sorted(hidden, key=published, reverse=True)]
        listed = new_records[: len(new_records) - missing_count]

        new_entries: dict[str, list[str]] = {}  # month → its new entries, oldest first
        for record in listed:
            month = url_path(record["url"])[1:8].replace("/", "-")
            new_entries.setdefault(month, []).append(sitemap_url(record["url"], record["published_at"]))
        changed_months: dict[str, str] = {}  # month → file content
        for month, entries in new_entries.items():
            path = f"/sitemap/{month}.xml"
            content = self.files.read(path) if self.files.exists(path) else self._sitemap_skeleton()
            # newer than everything listed: on top, newest first
            old_entries = re.findall(r"<url>.*?</url>\n", content)
            changed_months[month] = self._with_entries(content, entries[::-1] + old_entries)
        for url in self.modified_urls:
            record = next(record for record in self.records if record["url"] == url)
            month = url_path(url)[1:8].replace("/", "-")
            path = f"/sitemap/{month}.xml"
            content = changed_months.get(month)
            if content is None and self.files.exists(path):
                content = self.files.read(path)
            if content is None or f"<loc>{url}</loc>" not in content:
                continue
            changed_months[month] = re.sub(
                rf"(<loc>{re.escape(url)}</loc><lastmod>)[^<]*(</lastmod>)",
                lambda m: m[1] + record["modified_at"] + m[2],
                content,
            )

        index = self.files.read("/sitemap.xml")
        entries = re.findall(r"<sitemap>.*?</sitemap>\n", index)
        by_month = {re.search(r"/sitemap/(\d{4}-\d{2})\.xml", entry)[1]: entry for entry in entries}
        for month, content in sorted(changed_months.items()):
            self.files.write(f"/sitemap/{month}.xml", content)
            lastmods = re.findall(r"<lastmod>([^<]*)</lastmod>", content)
            newest = max(lastmods, key=parse_site_time)
            by_month[month] = sitemap_index_entry(month, newest)
        start = index.index("<sitemap>")
        end = index.rindex("</sitemap>\n") + len("</sitemap>\n")
        ordered = [by_month[month] for month in sorted(by_month, reverse=True)]
        self.files.write("/sitemap.xml", index[:start] + "".join(ordered) + index[end:])

    def _sitemap_skeleton(self) -> str:
        any_month = sorted((self.files.root / "sitemap").glob("*.xml"))[0].read_text(encoding="utf-8")
        return self._with_entries(any_month, [])

    @staticmethod
    def _with_entries(content: str, entries: list[str]) -> str:
        head = content[: content.index("<urlset")]
        head += content[content.index("<urlset"): content.index(">", content.index("<urlset")) + 1] + "\n"
        return head + "".join(entries) + content[content.index("</urlset>"):]

    # -- records and manifest --------------------------------------------------

    def finish(self) -> None:
        new_urls = [article.record["url"] for article in self.new_articles]
        for path in sorted({url_path(url) for url in self.modified_urls + new_urls}):
            self.refresh_sidebar(path)
        new_records = sorted((article.record for article in self.new_articles), key=published, reverse=True)
        records = new_records + self.records
        (self.out / "expected.jsonl").write_text(
            "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8"
        )
        linked = set(self.manifest["linked"])
        for key in self.files.written:
            path, _, query = key.partition("?")
            linked |= linked_keys(self.files.read(path, int(query.removeprefix("page=") or 1)))
        manifest = self.manifest
        manifest["site_now"] = iso(self.now)
        manifest["articles"] = manifest.get("articles", len(self.records)) + len(new_records)
        manifest["linked"] = sorted(linked)
        manifest["sitemap_missing"] = manifest["sitemap_missing"] + sorted(
            url_path(url) for url in self.not_in_sitemap
        )
        manifest["evolution"] = {
            "since": iso(self.since),
            "new": [record["url"] for record in new_records],
            "modified": sorted(self.modified_urls),
            "not_in_sitemap": self.not_in_sitemap,
        }
        (self.out / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )


def evolve(
    snapshot_dir: Path | str,
    out_dir: Path | str,
    *,
    new: int,
    modified: int,
    now: str | None = None,
    seed: int = 0,
    sitemap_missing: int | None = None,
    title_numbers: int = 250,
) -> Path:
    """Write a copy of `snapshot_dir` to `out_dir` as the site looks at `now`
    (ISO 8601; without offset: site time; default one day after the snapshot's
    `site_now`), with `new` new and `modified` changed articles, the newest
    `sitemap_missing` of the new ones left out of the sitemap (default: a
    tenth, rounded up). The numbers in new titles go up to `title_numbers`
    (more titles for a large replica, whose titles must all differ). Returns
    `out_dir`.

    `out_dir` must not exist or be empty. Raises ValueError when `now` is not
    after `site_now` or the snapshot has too few articles to modify.
    """
    source, out = Path(snapshot_dir).resolve(), Path(out_dir).resolve()
    if sitemap_missing is None:
        sitemap_missing = math.ceil(new * SITEMAP_MISSING_SHARE)
    if new < 0 or modified < 0 or sitemap_missing < 0:
        raise ValueError("new, modified and sitemap_missing must be 0 or more")
    if out == source or out.is_relative_to(source):
        raise ValueError("out_dir must be outside the snapshot folder")
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} exists and is not empty")
    since = parse_site_time(load_manifest(source)["site_now"])
    moment = parse_site_time(now) if now else since + timedelta(days=1)
    if moment <= since:
        raise ValueError(f"now ({iso(moment)}) must be after the snapshot's site_now ({iso(since)})")
    shutil.copytree(source, out, dirs_exist_ok=True)
    try:
        evolution = Evolution(out, moment, seed, sitemap_missing, title_numbers)
        evolution.add_new(new)
        evolution.modify(modified)
        evolution.update_listings()
        evolution.update_homepage()
        evolution.update_feed()
        evolution.update_sitemaps()
        evolution.finish()
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m replica.evolve", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--site", required=True, help="snapshot folder to start from (left unchanged)")
    parser.add_argument("--out", required=True, help="new snapshot folder (must not exist or be empty)")
    parser.add_argument("--new", type=int, default=5, help="new articles (default 5)")
    parser.add_argument("--modified", type=int, default=3, help="modified articles (default 3)")
    parser.add_argument("--now", help="the new site_now, ISO 8601 (default: one day after the old one)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    out = evolve(args.site, args.out, new=args.new, modified=args.modified, now=args.now, seed=args.seed)
    evolution = load_manifest(out)["evolution"]
    print(
        f"{out}: {len(evolution['new'])} new, {len(evolution['modified'])} modified, "
        f"{len(evolution['not_in_sitemap'])} not in the sitemap",
        flush=True,
    )


if __name__ == "__main__":
    main()
