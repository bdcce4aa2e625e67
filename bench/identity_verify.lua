-- wrk script for bench/identity_verify.py: a random person per request (or BENCH_BATCH people
-- per call), API key header, declared purpose and legal basis. Prints one RESULT line at the end.
local key = os.getenv("BENCH_KEY")
local count = tonumber(os.getenv("BENCH_N"))
local batch = tonumber(os.getenv("BENCH_BATCH") or "0")
local declared = '"purpose":"Mở tài khoản thanh toán","legal_basis":"Nghị định 69/2024/NĐ-CP"'
local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = key }
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("id", next_id)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 100 + id)
end

local function claim()
  local n = math.random(0, count - 1)
  local sex_digit = math.floor(n / 100) % 2
  local pid = string.format("048%d%02d%06d", sex_digit, n % 100, n)
  local sex = sex_digit == 0 and "male" or "female"
  return string.format('{"personal_id":"%s","birth_date":"%d","sex":"%s"}', pid, 1900 + n % 100, sex)
end

function request()
  local body
  if batch > 0 then
    local items = {}
    for i = 1, batch do items[i] = claim() end
    body = "{" .. declared .. ',"items":[' .. table.concat(items, ",") .. "]}"
  else
    body = claim():sub(1, -2) .. "," .. declared .. "}"
  end
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
