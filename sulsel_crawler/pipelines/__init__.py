"""Item pipelines that guard the dataset: validation first, then de-duplication."""

from sulsel_crawler.pipelines.dedupe import DedupePipeline
from sulsel_crawler.pipelines.validate import ValidationPipeline

__all__ = ["DedupePipeline", "ValidationPipeline"]
