"""The latency judgements' figures: milliseconds and shares, as the report and JUnit show them."""

from __future__ import annotations

from cloudrun_acceptance.checks.figures import ms, percent


def test_milliseconds_have_one_decimal_two_below_a_tenth_and_a_sign_when_asked():
    assert (ms(0.0123), ms(0.00005), ms(0.0021, "+"), ms(-0.0021, "+"), ms(None)) == (
        "12.3",
        "0.05",
        "+2.1",
        "-2.1",
        "-",
    )


def test_shares_drop_trailing_zeros():
    assert (percent(0.1), percent(0.0025), percent(0.95)) == ("10%", "0.25%", "95%")
