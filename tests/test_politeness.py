"""The site never has more than CONCURRENT_REQUESTS_PER_DOMAIN requests of
one crawl in flight, even with no download delay (Scrapy 2.19's own limit
does not hold under the asyncio reactor: sulsel_crawler/middlewares/in_flight.py)."""

import pytest

from replica import SNAPSHOT_DIR, ReplicaServer
from replica.requests_log import most_in_flight, most_starts_in_a_second
from tests.support.crawl import run_crawl
from tests.support.gold import assert_records_exact, gold_by_url


@pytest.mark.crawl
@pytest.mark.browser
def test_a_crawl_keeps_its_requests_in_flight_within_the_limit(tmp_path):
    with ReplicaServer(SNAPSHOT_DIR, latency=0.05) as server:
        run = run_crawl(server.base_url, tmp_path, settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "2"})
        requests = server.requests
    assert run.returncode == 0, run.log[-3000:]
    assert most_in_flight(requests) == 2
    assert_records_exact(run.records, gold_by_url(SNAPSHOT_DIR))


@pytest.mark.replica
def test_the_request_log_tells_how_many_were_in_flight_and_started_in_a_second():
    requests = [
        {"received": 0.0, "t": 1.0},
        {"received": 0.5, "t": 0.95},
        {"received": 0.9, "t": 2.0},
        {"received": 1.5, "t": 1.6},
    ]
    assert most_in_flight(requests) == 3
    assert most_starts_in_a_second(requests) == 3
    assert most_in_flight([]) == most_starts_in_a_second([]) == 0
