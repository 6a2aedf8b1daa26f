-- wrk script: POST /api/v1/jobs with a small online job. Pass one or more API keys: wrk ... -- KEY1 [KEY2 ...];
-- requests go round-robin over the keys (each key is its own account, as with many users).
local keys = {}
local n = 0
function init(args)
  for i = 1, #args do
    keys[#keys + 1] = args[i]
  end
end
function request()
  n = n + 1
  return wrk.format("POST", "/api/v1/jobs", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. keys[(n % #keys) + 1],
  }, '{"prompt":"a red fox running through fresh snow, golden hour","resolution":"240p","duration_s":2,"steps":30}')
end
done = function(summary, latency, requests)
  io.write(string.format('{"requests":%d,"seconds":%.2f,"requests_per_s":%.0f,"p50_ms":%.2f,"p99_ms":%.2f,"non_2xx":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status))
end
