"""A listing of the local Logging API continues across its pages: the later pages are cut from
what the first one matched, so the filter runs once per listing; a token of a listing that is
gone lists the query again from its offset."""

from __future__ import annotations

from dataclasses import replace

from cloudrun_acceptance.sandbox.faults.profiles import behaviour_for
from cloudrun_acceptance.sandbox.logging import api as loggingapi
from cloudrun_acceptance.sandbox.logging.api import LoggingApi
from cloudrun_acceptance.sandbox.platform.deployment import LogStore, plan_deployment
from cloudrun_acceptance.sandbox.platform.jsonserver import Request

FILTER = 'httpRequest.userAgent="users"'


def api_with(requests: int, **behaviour: object) -> LoggingApi:
    paged = replace(behaviour_for([]), **({"logging_page_limit": 10} | behaviour))
    log = LogStore(plan_deployment(paged, {}, (), {}, 0.0))
    for _ in range(requests):
        log.request("GET", "http://127.0.0.1:1/api/health", 200, 0.01, "users")
    return LoggingApi(log)


def page(api: LoggingApi, token: str = "") -> dict:
    body = {"resourceNames": ["projects/sandbox-project"], "filter": FILTER, "pageSize": 1000}
    status, answer = api(Request("POST", "/v2/entries:list", {}, {**body, "pageToken": token}, ""))
    assert status == 200, answer
    return answer


def read_all(api: LoggingApi, between=lambda: None) -> list[str]:
    ids, token = [], ""
    while True:
        answer = page(api, token)
        ids += [entry["insertId"] for entry in answer["entries"]]
        between()
        token = answer.get("nextPageToken", "")
        if not token:
            return ids


def test_the_pages_of_a_listing_hold_what_its_first_page_matched_once_each():
    api = api_with(35)

    def written() -> None:
        api.log.request("GET", "http://127.0.0.1:1/", 200, 0.01, "users")

    ids = read_all(api, written)
    assert len(ids) == len(set(ids)) == 35
    assert api.pages_served == 4
    assert len(read_all(api)) == 39  # a new listing sees the entries written meanwhile


def test_a_token_of_a_forgotten_listing_lists_the_query_again_from_its_offset(monkeypatch):
    monkeypatch.setattr(loggingapi, "KEPT_LISTINGS", 1)
    api = api_with(25)
    token = page(api)["nextPageToken"]
    page(api)  # another listing: the first one is forgotten
    assert len(page(api, token)["entries"]) == 10
    assert len(page(api, "not-a-listing:20")["entries"]) == 5


def refusal(api: LoggingApi, **changes) -> tuple[int, dict]:
    body = {"resourceNames": ["projects/sandbox-project"], "filter": FILTER} | changes
    return api(Request("POST", "/v2/entries:list", {}, body, ""))


def test_what_entries_list_refuses_is_refused_with_400():
    api = api_with(3)
    for changes, said in (
        ({"pageSize": 1001}, "page_size must be between 0 and 1000, not 1001"),
        ({"pageSize": -1}, "page_size must be between 0 and 1000, not -1"),
        ({"filter": FILTER + " AND " + "x" * 20_000}, "the limit is 20000"),
        ({"orderBy": "insertId asc"}, "order_by must be one of timestamp asc, timestamp desc"),
    ):
        status, answer = refusal(api, **changes)
        assert (status, answer["error"]["status"]) == (400, "INVALID_ARGUMENT")
        assert said in answer["error"]["message"]
    assert refusal(api, pageSize="1000", orderBy="timestamp desc")[0] == 200
    assert api.pages_served == 1


def test_a_page_holds_what_was_asked_up_to_the_limit_and_50_when_not_asked():
    api = api_with(1200, logging_page_limit=1000)
    body = {"resourceNames": ["projects/sandbox-project"], "filter": FILTER}
    assert len(api(Request("POST", "/v2/entries:list", {}, body, ""))[1]["entries"]) == 50
    asked = body | {"pageSize": 1000}
    assert len(api(Request("POST", "/v2/entries:list", {}, asked, ""))[1]["entries"]) == 1000


def test_calls_over_the_projects_read_quota_are_refused_with_429_until_a_minute_passed():
    clock = [0.0]
    quota = loggingapi.ReadQuota(3, clock=lambda: clock[0])
    api = LoggingApi(api_with(1).log, quota)
    statuses = [refusal(api)[0] for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    status, answer = refusal(api)
    assert status == 429
    assert answer["error"]["status"] == "RESOURCE_EXHAUSTED"
    assert "Read requests per minute" in answer["error"]["message"]
    clock[0] = 60.5  # the first three calls are a minute old
    assert [refusal(api)[0] for _ in range(4)] == [200, 200, 200, 429]
    assert quota.refused == 3
    shared = LoggingApi(api_with(1).log, quota)  # another region's API of the project
    assert refusal(shared)[0] == 429
