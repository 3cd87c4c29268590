#!/bin/bash
# What one commit of the serial writer costs the disk, under the command mix of `sealhall bench --only http`.
#
#   scripts/commit-io.sh [BINARY]      (default .build/release/sealhall; needs wrk, strace, curl, python3)
#
# Serves a fresh store, drives it with wrk (64 connections: letter submissions and their approvals), traces the
# writer thread's writes and syncs for one second mid-run, and prints: units (commands) per commit, pages
# written per commit, and the time of each commit's fdatasync and meta-page write. Then it times fdatasync on a
# scratch file after writing N pages scattered and N pages in one run, which is what makes pages per commit
# matter. Figures are for comparing builds on one machine hour, not absolute.
set -euo pipefail
binary=$(realpath "${1:-.build/release/sealhall}")
port=8097
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$(dirname "$0")/.."

"$binary" serve --data "$work/store" --host 127.0.0.1 --port $port >"$work/serve.log" 2>&1 &
server=$!
until curl -sf localhost:$port/health >/dev/null; do sleep 0.2; done
login() {
    curl -sf -X POST localhost:$port/api/session -H 'Content-Type: application/json' \
        -d "{\"account\":\"$1\",\"password\":\"sealhall-demo\"}" | sed 's/.*"token":"\([^"]*\)".*/\1/'
}
applicant=$(login 20010001)
head=$(login 20010002)
cat >"$work/mix.lua" <<EOF
local submission = wrk.format("POST", "/api/applications", {
  ["Authorization"] = "Bearer $applicant", ["Content-Type"] = "application/json" },
  [==[{"kind":"letter","form":{"letterType":"administrative","persons":[{"name":"张瑞雪","title":"科长","idNumber":"2301**********2026"}],"destination":"黑龙江省科学技术厅","matter":"联系项目申报事宜","validDays":7,"important":false}}]==])
local headers = { ["Authorization"] = "Bearer $head", ["Content-Type"] = "application/json" }
local pending = {}
request = function()
  local application = table.remove(pending)
  if application == nil then return submission end
  return wrk.format("POST", "/api/applications/" .. application.id .. "/decision", headers,
    '{"decision":"approve","comment":"同意","expectedVersion":' .. application.version .. '}')
end
response = function(status, headers, body)
  if status == 201 then
    table.insert(pending, { id = body:match('"id":"([^"]+)"'), version = body:match('"version":(%d+)') })
  end
end
EOF
metric() { curl -sf localhost:$port/metrics | awk -v name="$1" '$1 == name { print $2 }'; }

wrk -t2 -c64 -d8s -s "$work/mix.lua" http://127.0.0.1:$port >"$work/wrk.txt" &
load=$!
sleep 4
writer=$(grep -l '^log-writer$' /proc/$server/task/*/comm | head -1 | cut -d/ -f5)
batches=$(metric sealhall_commit_batches_total)
units=$(metric sealhall_commit_units_total)
timeout 1 strace -T -e trace=pwrite64,pwritev,fdatasync -p "$writer" -o "$work/trace.txt" 2>/dev/null || true
sleep 0.5
batches=$(($(metric sealhall_commit_batches_total | cut -d. -f1) - ${batches%.*}))
units=$(($(metric sealhall_commit_units_total | cut -d. -f1) - ${units%.*}))
wait $load
grep -E "Requests/sec" "$work/wrk.txt"

python3 - "$work/trace.txt" "$batches" "$units" <<'EOF'
import re, statistics, sys
trace, batches, units = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
data_fd = None
commits, pages, calls, meta = [], 0, 0, []
for line in open(trace):
    m = re.match(r'fdatasync\((\d+)\)\s+= 0 <([\d.]+)>', line)
    if m:
        data_fd = m.group(1)
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
print(f"units per commit (whole traced second, untraced too): {units / max(batches, 1):.1f}")
if commits:
    print(f"commits traced: {len(commits)}")
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
