"""Start-up hook of benchmarked builds: count chart renders in every process."""

import os

if os.environ.get("BENCH_EVENTS"):
    import bench_events

    bench_events.count_renders()
