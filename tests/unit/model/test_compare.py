"""The paired load's pairs: each kind's in order, up to the first pair still on its way."""

from __future__ import annotations

from cloudrun_acceptance.model.compare import Endpoint, PairedLoad, Sample


def load(*samples: Sample) -> PairedLoad:
    return PairedLoad(
        Endpoint("a", "http://a"), Endpoint("b", "http://b"), samples, 8, 1.0, 10.0, 2
    )


def test_pairs_are_in_order_up_to_the_first_unfinished_one_without_failed_ones():
    found = load(
        Sample("k", "baseline", 0, 200, 0.010, pair=0),
        Sample("k", "candidate", 1, 200, 0.011, pair=0),
        Sample("k", "candidate", 3, 503, 0.001, pair=1),  # a failed side: left out
        Sample("k", "baseline", 2, 200, 0.010, pair=1),
        Sample("k", "baseline", 4, 200, 0.012, pair=2),
        Sample("k", "candidate", 5, 200, 0.013, pair=2),
        Sample("k", "baseline", 6, 200, 0.014, pair=3),  # its candidate still on its way
        Sample("k", "baseline", 8, 200, 0.015, pair=4),
        Sample("k", "candidate", 9, 200, 0.016, pair=4),
        Sample("other", "baseline", 10, 200, 0.5, pair=0),
    )
    assert found.pairs("k") == ((0.010, 0.011), (0.012, 0.013))
    assert found.pairs("other") == ()
