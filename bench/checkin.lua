-- wrk script of the HTTP load run (bench/http_load.py): each thread posts check-ins from its
-- own slice of the prepared file (one line per request: path, bearer token, person id), and
-- every REPEAT-th request sends an id it already sent, to prove a repeat is counted once.
-- Each response's person id and "created" flag go to a file per thread, read after the run.
local threads = {}
local counter = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local file, nthreads, out = args[1], tonumber(args[2]), args[3]
  repeat_every = tonumber(args[4])
  lines, sent, index = {}, {}, 0
  local n = 0
  for line in io.lines(file) do
    if n % nthreads == tid then
      local p, token, person = line:match("([^\t]+)\t([^\t]*)\t([^\t]+)")
      table.insert(lines, {p, token, person})
    end
    n = n + 1
  end
  log = io.open(out .. "." .. tid, "w")
  log:setvbuf("line")
end

function request()
  index = index + 1
  local row
  if index % repeat_every == 0 and #sent > 0 then
    row = sent[math.random(#sent)]
  else
    row = lines[((index - 1) % #lines) + 1]
    table.insert(sent, row)
  end
  local headers = {["Content-Type"] = "application/json"}
  if row[2] ~= "-" then headers["Authorization"] = "Bearer " .. row[2] end
  return wrk.format("POST", row[1], headers, '{"person_id": ' .. row[3] .. '}')
end

function response(status, headers, body)
  local person = body:match('"person_id": *(%d+)')
  local created = body:match('"created": *(%a+)')
  log:write(status, " ", person or "-", " ", created or "-", "\n")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
    e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
