"""sulsel_crawler: a Scrapy project that crawls sulselsatu.com into versioned datasets."""

__version__ = "0.1.0"
