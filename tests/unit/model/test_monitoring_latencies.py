"""A latencies' histogram from Cloud Monitoring: its buckets as the API declares them, the
points of a series summed, and the bucket a quantile lies in."""

from __future__ import annotations

import math

from cloudrun_acceptance.google.monitoring import _histogram, bucket_bounds
from cloudrun_acceptance.model.monitoring import LatencyHistogram


def test_a_quantile_is_the_bucket_it_lies_in():
    # Below 10 ms: none; 10-20: 50; 20-40: 40; over 40: 10.
    histogram = LatencyHistogram("r", (10.0, 20.0, 40.0), (0, 50, 40, 10))
    assert histogram.total == 100
    assert histogram.quantile(0.5) == (10.0, 20.0)
    assert histogram.quantile(0.51) == (20.0, 40.0)
    assert histogram.quantile(0.95) == (40.0, math.inf)  # the overflow bucket
    assert LatencyHistogram("r", (5.0,), (3, 0)).quantile(0.5) == (0.0, 5.0)  # the underflow
    assert LatencyHistogram("r", (1.0,), (0, 0)).quantile(0.5) is None


def test_the_three_forms_of_bucket_options():
    assert bucket_bounds({"explicitBuckets": {"bounds": [1, 5, 10]}}) == (1.0, 5.0, 10.0)
    assert bucket_bounds(
        {"exponentialBuckets": {"numFiniteBuckets": 3, "growthFactor": 2, "scale": 1.5}}
    ) == (1.5, 3.0, 6.0, 12.0)
    assert bucket_bounds({"linearBuckets": {"numFiniteBuckets": 2, "width": 10, "offset": 5}}) == (
        5.0,
        15.0,
        25.0,
    )
    assert bucket_bounds({}) is None


def test_the_points_of_a_series_are_summed_and_short_bucket_counts_end_in_zeros():
    options = {"explicitBuckets": {"bounds": [10, 20]}}
    series = {
        "resource": {"labels": {"revision_name": "svc-00002"}},
        "points": [
            {
                "value": {
                    "distributionValue": {"bucketOptions": options, "bucketCounts": ["1", "4"]}
                }
            },
            {
                "value": {
                    "distributionValue": {"bucketOptions": options, "bucketCounts": ["0", "2", "3"]}
                }
            },
        ],
    }
    assert _histogram(series) == LatencyHistogram("svc-00002", (10.0, 20.0), (1, 6, 3))
    changed = {"explicitBuckets": {"bounds": [10, 30]}}
    series["points"].append(  # type: ignore[attr-defined]
        {"value": {"distributionValue": {"bucketOptions": changed, "bucketCounts": ["1"]}}}
    )
    assert _histogram(series) is None  # buckets that changed between points are not summed
