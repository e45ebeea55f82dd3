"""One spider per source kind; SPIDERS maps `sources.kind` to its class."""

from scraper.spiders.ashby import AshbySpider
from scraper.spiders.base import SourceSpider
from scraper.spiders.greenhouse import GreenhouseSpider
from scraper.spiders.jsonld import JsonLdSpider
from scraper.spiders.lever import LeverSpider
from scraper.spiders.recruitee import RecruiteeSpider
from scraper.spiders.smartrecruiters import SmartRecruitersSpider
from scraper.spiders.workable import WorkableSpider

SPIDERS: dict[str, type[SourceSpider]] = {
    spider.name: spider
    for spider in (
        GreenhouseSpider,
        LeverSpider,
        AshbySpider,
        WorkableSpider,
        SmartRecruitersSpider,
        RecruiteeSpider,
        JsonLdSpider,
    )
}
