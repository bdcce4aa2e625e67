-- wrk script for bench/violation_ingest.py: the public plate lookup for a random plate per request
-- (partner key of scope violations.lookup). Plates: "43" .. LETTERS[n % 20] .. (n // 20) on five
-- digits, n random in 0..BENCH_N-1. Prints one RESULT line at the end.
local key = os.getenv("BENCH_KEY")
local count = tonumber(os.getenv("BENCH_N"))
local letters = "ABCDEFGHKLMNPSTUVXYZ"
local headers = { ["X-API-Key"] = key }
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
end

function request()
  local n = math.random(0, count - 1)
  local letter = letters:sub(n % 20 + 1, n % 20 + 1)
  local plate = string.format("43%s%05d", letter, math.floor(n / 20))
  return wrk.format("GET", wrk.path .. "?vehicle_kind=car&plate=" .. plate, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
