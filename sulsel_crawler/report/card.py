"""The dataset card: a ``README.md`` beside the data in the style of the
Hugging Face Hub (YAML header, then prose), saying what the dataset holds,
where it comes from, its schema and how to load it without losing the
``+08:00`` offset of its dates."""

from __future__ import annotations

from typing import Any

# The record's fields as `datasets` features (docs/record.md). Dates stay
# strings: inferred as timestamps, they would lose their +08:00 offset.
FEATURES: dict[str, Any] = {
    "id": "string",
    "url": "string",
    "source": "string",
    "title": "string",
    "author": "string",
    "editor": "string",
    "published_at": "string",
    "modified_at": "string",
    "category": "string",
    "category_slug": "string",
    "tags": ["string"],
    "summary": "string",
    "dateline": "string",
    "body": "string",
    "image_url": "string",
    "image_caption": "string",
    "images": [{"url": "string", "caption": "string"}],
    "word_count": "int64",
    "language": "string",
    "crawled_at": "string",
    "content_hash": "string",
    "extraction": "string",
    # An object, or null without a web archive (docs/archive.md).
    "source_warc": {"file": "string", "record_id": "string"},
}

LOADING = '''```python
import pandas as pd

# Every field as written, dates as strings (pandas 3 needs only dtype=False,
# pandas 2 also convert_dates=False); to_datetime then keeps their +08:00.
articles = pd.read_json("{file}", lines=True, dtype=False, convert_dates=False)
articles["published_at"] = pd.to_datetime(articles["published_at"], format="ISO8601")
```

```python
import json

from datasets import Dataset, Features, Sequence, Value

# Read the lines yourself: load_dataset("json", …) lets pyarrow parse the
# dates as timestamps and turn them into UTC, even with these features, and
# the +08:00 offset is lost (a quarter of the articles move to the day before).
features = Features({features})
with open("{file}", encoding="utf-8") as lines:
    records = [json.loads(line) for line in lines]
articles = Dataset.from_dict({{name: [record[name] for record in records] for name in features}}, features=features)
```

This also loads the empty dataset of a crawl that exported nothing, where
`load_dataset` raises `StopIteration`.'''


def _yaml_feature(name: str, kind: Any) -> str:
    if isinstance(kind, str):
        return f"  - name: {name}\n    dtype: {kind}"
    if isinstance(kind, dict):
        fields = "".join(f"\n    - name: {field}\n      dtype: {dtype}" for field, dtype in kind.items())
        return f"  - name: {name}\n    struct:{fields}"
    item = kind[0]
    if isinstance(item, str):
        return f"  - name: {name}\n    sequence: {item}"
    fields = "".join(f"\n    - name: {field}\n      dtype: {dtype}" for field, dtype in item.items())
    return f"  - name: {name}\n    list:{fields}"


def _python_feature(kind: Any) -> str:
    if isinstance(kind, str):
        return f'Value("{kind}")'
    if isinstance(kind, dict):
        return "{" + ", ".join(f'"{field}": Value("{dtype}")' for field, dtype in kind.items()) + "}"
    item = kind[0]
    if isinstance(item, str):
        return f'Sequence(Value("{item}"))'
    inner = ", ".join(f'"{field}": Value("{dtype}")' for field, dtype in item.items())
    return f"[{{{inner}}}]"


def features_code() -> str:
    fields = "".join(f'    "{name}": {_python_feature(kind)},\n' for name, kind in FEATURES.items())
    return "{\n" + fields + "}"


def _size_category(records: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K")):
        if records < limit:
            return name
    return "100K<n<1M"


def render_card(figures: dict[str, Any], report_file: str) -> str:
    dataset = figures["dataset"]
    file = dataset["file"]
    header = "\n".join(
        [
            "---",
            "language:",
            "- id",
            "license: other",
            "license_name: sulselsatu-terms",
            f"pretty_name: sulselsatu.com news articles ({file})",
            "task_categories:",
            "- text-generation",
            "- text-classification",
            "size_categories:",
            f"- {_size_category(dataset['records'])}",
            "configs:",
            "- config_name: default",
            "  data_files:",
            "  - split: train",
            f"    path: {file}",
            "dataset_info:",
            "  features:",
            *(_yaml_feature(name, kind) for name, kind in FEATURES.items()),
            "---",
        ]
    )
    categories = ", ".join(f"{name} ({count})" for name, count in list(figures["by_category"].items())[:10])
    coverage = figures["coverage"]
    coverage_line = (
        f"The crawl discovered {coverage['articles']['discovered']} article URLs and exported "
        f"{coverage['articles']['exported']}; {len(coverage['not_exported'])} it wanted were not exported "
        f"(listed in `{file.rsplit('.', 1)[0]}.coverage.json`)."
        if coverage
        else "No coverage file was found beside the dataset."
    )
    schema = "\n".join(
        f"| `{name}` | {_plain_type(kind)} |" for name, kind in FEATURES.items()
    )
    word_count = figures["word_count"]
    loading = LOADING.format(file=file, features=features_code())
    return f"""{header}

# sulselsatu.com news articles

{dataset['records']} Indonesian-language news articles of
[sulselsatu.com](https://www.sulselsatu.com), a South Sulawesi news site,
published from {(dataset['first_published'] or '–')[:10]} to {(dataset['last_published'] or '–')[:10]},
one JSON object per line in `{file}`, written by
[sulsel_crawler](https://github.com/sulsel-crawler/sulsel_crawler).

## Source and licence

The articles are the work of sulselsatu.com and its writers, who keep their
rights: the texts are not under an open licence. Use them as the law where you
work allows (research, text and data mining) and as the site's terms say; do
not republish them. Each record keeps its article's `url` and `author`.

## Contents

- Categories: {categories}.
- Body length: median {word_count['median']:g} words (from {word_count['min']} to {word_count['max']}).
- {coverage_line}
- Figures, charts, rejects and the crawl's monitors: `{report_file}` (open it
  in a browser); the same figures as JSON: `{report_file.removesuffix('.html')}.json`.

## Schema

Every record has every field, in this order; empty values are `null` (text)
or `[]` (lists). `published_at` and `modified_at` are Makassar time with
their offset, `2024-05-01T09:30:00+08:00`; `crawled_at` is UTC.
The full contract: docs/record.md of sulsel_crawler.

| field | type |
|---|---|
{schema}

## Loading

{loading}
"""


def _plain_type(kind: Any) -> str:
    if isinstance(kind, str):
        return {"int64": "integer", "string": "string"}[kind]
    if isinstance(kind, dict):
        return "{" + ", ".join(f"{field}: string" for field in kind) + "} or null"
    item = kind[0]
    return "list of strings" if isinstance(item, str) else "list of {" + ", ".join(f"{f}: string" for f in item) + "}"
