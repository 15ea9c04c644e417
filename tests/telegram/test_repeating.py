"""The one scheduler of the background jobs: runs again after a failure, reads its delay each time, stops."""

from __future__ import annotations

import asyncio

from bot.telegram.repeating import Repeating


async def test_it_repeats_survives_a_failure_and_stops() -> None:
    runs: list[int] = []

    async def job() -> None:
        runs.append(len(runs))
        if len(runs) == 2:
            raise RuntimeError("a bad pass")

    delay = {"every": 0.01}
    job_runner = Repeating("test job", job, lambda: delay["every"], first=lambda: 0.0)
    job_runner.start()
    for _ in range(200):
        if len(runs) >= 4:
            break
        await asyncio.sleep(0.01)
    assert len(runs) >= 4, "the failing second pass did not stop the job"
    await job_runner.stop()
    stopped = len(runs)
    await asyncio.sleep(0.05)
    assert len(runs) == stopped and job_runner.task is None


async def test_the_first_run_waits_for_its_delay() -> None:
    runs: list[int] = []

    async def job() -> None:
        runs.append(1)

    job_runner = Repeating("late job", job, lambda: 0.01, first=lambda: 10.0)
    job_runner.start()
    await asyncio.sleep(0.05)
    assert runs == []
    await job_runner.stop()
