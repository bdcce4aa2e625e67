-- wrk script for bench/search_fulltext.py: the same full-text search on every request, as a signed-in
-- officer (session cookie). Prints one RESULT line at the end.
local cookie = os.getenv("BENCH_COOKIE")
local headers = { ["Cookie"] = cookie, ["Accept"] = "application/json" }

function request()
  return wrk.format("GET", nil, headers, nil)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
