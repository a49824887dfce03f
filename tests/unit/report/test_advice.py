"""What to do, as the report shows it: wrapped prose, a long gcloud command in a block of its own."""

from __future__ import annotations

from cloudrun_acceptance.report.advice import advice_markdown, command_block, split_advice

COMMAND = "gcloud run services update-traffic svc --to-revisions svc-2=100 --region r --project p"
# A long command a flag a line, as a shell runs it pasted.
FOLDED = [
    "gcloud run services update-traffic svc \\",
    "  --to-revisions svc-2=100 \\",
    "  --region r \\",
    "  --project p",
]


def test_a_long_gcloud_command_leaves_the_sentence_for_a_block_of_its_own():
    assert advice_markdown(f"a split is left: `{COMMAND}` gives the revision its share.") == [
        "",
        "**What to do:** a split is left: the command below gives the revision its share.",
        "",
        "```sh",
        *FOLDED,
        "```",
    ]


def test_two_commands_are_told_apart_and_a_short_one_stays_in_the_sentence():
    lines = advice_markdown(
        f"run `{COMMAND}`, then `{COMMAND} --quiet`; or `gcloud auth login` first"
    )
    assert lines[1] == (
        "**What to do:** run the first command below, then the second command below; or "
        "`gcloud auth login` first"
    )
    assert lines.count("```sh") == 2
    assert advice_markdown("") == []


def test_the_advice_line_is_split_from_a_message():
    assert split_advice("it broke\n  evidence\nWhat to do: fix it.") == (
        "it broke\n  evidence",
        "fix it.",
    )
    assert split_advice("it broke") == ("it broke", "")


def test_a_short_command_or_one_quoted_otherwise_stays_on_its_line():
    assert command_block("gcloud x --y z") == ["```sh", "gcloud x --y z", "```"]
    quoted = f'{COMMAND} --update-env-vars "A=b c"'
    assert command_block(quoted) == ["```sh", quoted, "```"]
