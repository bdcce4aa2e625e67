-- wrk script for bench/incident_intake.py: each request is a new report with its own client token
-- ("<prefix>-<thread>-<n>"), so nothing is deduplicated, and the run's prefix as its address (the
-- stored key is a hash of the token: the rows are counted by address). No cookie is kept, as for a
-- client that keeps none. Counts 201 answers; prints one RESULT line.
local prefix = os.getenv("BENCH_PREFIX")
local headers = { ["Content-Type"] = "application/json" }
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  thread:set("created", 0)
  table.insert(threads, thread)
end

function init(args)
  counter = 0
  created = 0
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"kind":"GT.TAINAN","description":"Va chạm giữa xe máy và ô tô tại ngã tư, một người bị thương.",' ..
    '"commune_code":"99901","latitude":16.06,"longitude":108.22,"reporter_name":"Người dân",' ..
    '"reporter_phone":"0905123456","address":"%s","client_token":"%s-%d-%d"}', prefix, prefix, id, counter)
  return wrk.format("POST", nil, headers, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("created") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d created=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, total, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
