"""Seconds to judge a 5-second 1080p clip on the CPU (every technical check, optical flow
included), against what generating such a clip takes. Prints its figures:

    .venv/bin/python bench/judge.py [--repeats 3] [--threads 2]

The clip is made here: a 1920x1080 pan over a random texture at 24 fps, H.264.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from shotrelay.catalog import load_catalog
from shotrelay.judge import Asked, judge_clip
from shotrelay.media import VideoWriter
from shotrelay.spec.vocabulary import Task

W, H, FPS, SECONDS = 1920, 1080, 24, 5


def make_clip(path: Path) -> Path:
    rng = np.random.default_rng(3)
    coarse = rng.integers(30, 225, (H // 24, (W + 480) // 24, 3), dtype=np.uint8)
    world = cv2.resize(coarse, (W + 480, H), interpolation=cv2.INTER_CUBIC)
    with VideoWriter(path, width=W, height=H, fps=FPS) as out:
        for i in range(FPS * SECONDS):
            out.write(np.ascontiguousarray(world[:, 4 * i : 4 * i + W]))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for OpenCV")
    args = parser.parse_args()
    cv2.setNumThreads(args.threads)
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_clip(Path(tmp) / "clip.mp4")
        asked = Asked(duration=SECONDS, fps=FPS, width=W, height=H, camera="pan-right")
        times, held = [], []
        for _ in range(args.repeats):
            start = time.perf_counter()
            judged = judge_clip(clip, asked)
            times.append(time.perf_counter() - start)
        before = make_clip(Path(tmp) / "before.mp4")
        for _ in range(args.repeats):  # the first reads the previous shot, the rest reuse it
            start = time.perf_counter()
            judge_clip(clip, asked, previous=before)
            held.append(time.perf_counter() - start)
    print(f"5 s 1080p clip, {args.threads} OpenCV threads, {os.cpu_count()} CPUs here:")
    print(f"  judging: {statistics.median(times):.2f} s per clip (median of {args.repeats})")
    print(
        f"  held against the previous shot too (continuity): first take {held[0]:.2f} s, "
        f"the next ones {statistics.median(held[1:] or held):.2f} s (its last frames kept)"
    )
    print(
        f"  checks: {', '.join(c.name for c in judged.checks)}; failed: {judged.failed or 'none'}"
    )
    gen = sorted(
        (m.latency.estimate(SECONDS), m.id)
        for m in load_catalog().models
        if not m.local and (m.does(Task.IMAGE_TO_VIDEO) or m.does(Task.TEXT_TO_VIDEO))
    )
    if gen:
        fast, mid = gen[0], gen[len(gen) // 2]
        print(
            f"  generating it (catalog latency): fastest {fast[1]} {fast[0]:.0f} s, "
            f"median {mid[1]} {mid[0]:.0f} s"
        )


if __name__ == "__main__":
    main()
