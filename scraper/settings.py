"""Scrapy settings: polite by default (identified, throttled, retried with backoff, bounded).

Override any of them for one crawl with JOBBOARD_CRAWL_SETTINGS, a JSON object of
Scrapy settings (the test suite uses it to drop the delays).
"""

from models import config

BOT_NAME = "jobboard"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

USER_AGENT = f"jobboard/0.1 (job board crawler; +{config.base_url()})"

# The API kinds are public endpoints documented for job boards; jsonld spiders turn this on.
ROBOTSTXT_OBEY = False

CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30  # seconds for one response, headers to last byte
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024  # a bigger answer is cancelled (and the request fails)
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 5  # a redirect loop fails its request after this many hops
# Posting pages one careers page's JSON-LD ItemList may send the crawler to (to any host):
# past this the run reads the first ones and, noted as partial, closes nothing.
JOBBOARD_MAX_LINKED_PAGES = 1000
# Resolve names the way the middleware checks them: a public name that answers a private
# address when the crawler connects (DNS rebinding) is refused there too.
TWISTED_DNS_RESOLVER = "scraper.resolver.PublicOnlyResolver"

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry, doubled for each further one
RETRY_BACKOFF_MAX = 60.0

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "scraper.middlewares.PrivateAddressMiddleware": 50,
    "scraper.middlewares.RetryBackoffMiddleware": 551,  # after RetryMiddleware: Retry-After
}
ITEM_PIPELINES = {
    "scraper.pipelines.ExpiredPostingPipeline": 100,
    "scraper.pipelines.IngestPipeline": 900,
}
EXTENSIONS = {
    "scraper.extensions.CrawlRunRecorder": 500,
}

# Postings handed to upsert_postings at once: ten of its batches (models.ingest.BATCH_SIZE),
# which it writes while validating the next, so only each call's first batch waits for
# Python. A 10,000-posting crawl: 704/s with 2,500 per call, 848/s with 5,000 (direct
# ingest 1,150/s). The buffer holds ~30 MB; each call commits batch by batch.
INGEST_BATCH_SIZE = 5000
HEARTBEAT_SECONDS = 30.0
