"""The run record: check names as sentences, the status rule, the counts."""

from __future__ import annotations

from tests.unit.builders import check_result, run_record


def test_check_names_read_as_sentences():
    assert check_result("test_metrics_enabled", "passed").name == "metrics enabled"
    assert (
        check_result("test_metric_is_exposed_with_its_type[cache_size]", "passed").name
        == "metric is exposed with its type · cache_size"
    )


def test_in_a_run_of_several_targets_a_name_has_one_separator():
    def named(function: str) -> str:
        return check_result(function, "passed", target="us-central1").name

    assert named("test_health_answers[us-central1]") == "health answers · us-central1"
    assert (
        named("test_metric_is_exposed_with_its_type[cache_size-us-central1]")
        == "metric is exposed with its type · cache_size · us-central1"
    )
    assert check_result(
        "test_a[cached call-us-central1]", "passed", target="us-central1"
    ).param == ("cached call")


def test_status_rules():
    assert run_record(check_result("test_a", "passed")).status == "PASSED"
    assert (
        run_record(check_result("test_a", "passed"), check_result("test_b", "failed")).status
        == "FAILED"
    )
    assert (
        run_record(check_result("test_a", "passed"), check_result("test_b", "error")).status
        == "FAILED"
    )
    assert (
        run_record(
            check_result("test_a", "passed"), check_result("test_b", "skipped", inconclusive=True)
        ).status
        == "INCONCLUSIVE"
    )
    assert (
        run_record(
            check_result("test_a", "passed"), check_result("test_b", "failed", inconclusive=True)
        ).status
        == "INCONCLUSIVE"
    )
    assert (
        run_record(check_result("test_a", "skipped")).status == "FAILED"
    )  # nothing passed is not a pass
    assert run_record(check_result("test_a", "passed"), interrupted=True).status == "FAILED"
    assert (
        run_record(check_result("test_a", "passed"), check_result("test_b", "not run")).status
        == "FAILED"
    )
