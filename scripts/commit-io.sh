#!/bin/bash
# What one commit of the serial writer costs the disk, under the command mix of `sealhall bench --only http`.
#
#   scripts/commit-io.sh [BINARY]      (default .build/release/sealhall; needs wrk, strace, python3)
#
# Runs `sealhall bench --only http`, traces its writer thread's writes and syncs for one second of the commands
# phase (64 connections: letter submissions and their approvals), and prints the pages written per commit and
# the time of each commit's fdatasync and meta-page write. Then it times fdatasync on a scratch file after
# writing N pages scattered and N pages in one run, which is what makes pages per commit matter. Figures are for comparing builds on one machine hour, not absolute.
set -euo pipefail
binary=$(realpath "${1:-$(dirname "$0")/../.build/release/sealhall}")
work=$(mktemp -d)
trap 'kill $bench 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."

# The load is the benchmark's own command mix: trace its writer three seconds into the commands phase.
"$binary" bench --only http --scratch "$work" >"$work/bench.txt" 2>&1 &
bench=$!
until grep -q http_todo "$work/bench.txt"; do sleep 0.2; done
sleep 3
writer=$(grep -l '^log-writer$' /proc/$bench/task/*/comm | head -1 | cut -d/ -f5)
timeout 1 strace -T -e trace=pwrite64,pwritev,fdatasync -p "$writer" -o "$work/trace.txt" 2>/dev/null || true
wait $bench
grep -E "http_commands " "$work/bench.txt"

python3 - "$work/trace.txt" <<'EOF'
import re, statistics, sys
trace = sys.argv[1]
commits, pages, calls, meta = [], 0, 0, []
for line in open(trace):
    m = re.match(r'fdatasync\((\d+)\)\s+= 0 <([\d.]+)>', line)
    if m:
        commits.append((pages, calls, float(m.group(2)) * 1000))
        pages = calls = 0
        continue
    m = re.match(r'pwrite(?:64|v)\((\d+), .*, (\d+), \d+\) = \d+ <([\d.]+)>', line)
    if not m:
        continue
    if int(m.group(2)) < 4096:  # LMDB's meta page, written through its O_DSYNC descriptor
        meta.append(float(m.group(3)) * 1000)
    else:
        pages += int(m.group(2)) // 4096
        calls += 1
if commits:
    print(f"commits in the traced second (tracing slows them): {len(commits)}")
    print(f"pages written per commit: median {statistics.median(c[0] for c in commits)}, "
          f"in {statistics.median(c[1] for c in commits)} writes")
    print(f"fdatasync per commit: median {statistics.median(c[2] for c in commits):.2f} ms")
if meta:
    print(f"meta page write (O_DSYNC): median {statistics.median(meta):.2f} ms")
EOF

python3 - "$work/sync.bin" <<'EOF'
import os, random, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
os.ftruncate(fd, 64 << 20)
slots = (64 << 20) // 4096
for pages in (1, 8, 24, 40, 160):
    scattered, contiguous = [], []
    for _ in range(21):
        for _ in range(pages):
            os.pwrite(fd, os.urandom(4096), random.randrange(slots) * 4096)
        start = time.perf_counter(); os.fdatasync(fd); scattered.append(time.perf_counter() - start)
        os.pwrite(fd, os.urandom(4096 * pages), random.randrange(slots - pages) * 4096)
        start = time.perf_counter(); os.fdatasync(fd); contiguous.append(time.perf_counter() - start)
    print(f"fdatasync after {pages:3} pages: scattered {sorted(scattered)[10] * 1000:.2f} ms, "
          f"in one run {sorted(contiguous)[10] * 1000:.2f} ms (medians of 21)")
os.close(fd)
EOF
