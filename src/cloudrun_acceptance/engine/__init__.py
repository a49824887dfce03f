"""The run engine: what runs a target, without pytest.

The service stage (the health wait, the first scrape, the forced analysis and the cached calls,
in a thread: service_stage.py), the logs stage (log_stage.py), the first plain read of the
service's address (first_read.py) and how the Admin API's reads resolve the target
(resolution.py), the worst case of a run (run_budget.py), the project's read quota
(read_quota.py), and the rollout in steps (rollout_steps.py; of several targets:
rollout_group.py), each step judged on its window of users' requests (window_judge.py), and
the release's traffic, written and read back (traffic_write.py). The plugin (plugin/) wires
them into pytest's fixtures and hooks; nothing here imports pytest.
"""
