-- wrk script of the page mix (bench/http_mix.py): each request is the next line of the file,
-- "path<TAB>header name<TAB>header value" (a session cookie or a bearer token), cycled.
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  lines, index = {}, tid * 7
  for line in io.lines(args[1]) do
    local p, name, value = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    table.insert(lines, {p, name, value})
  end
end

function request()
  index = index + 1
  local row = lines[((index - 1) % #lines) + 1]
  return wrk.format("GET", row[1], {[row[2]] = row[3]})
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
