-- wrk script of bench/_wrk.py: a random target per request, a varying client address, every
-- answer checked, and the figures printed as one JSON line ("WRKJSON {...}") by done().
--
-- Arguments (after `--`): TARGETS CHECKS PATTERN NEEDLE
--   TARGETS  a file of request paths, one a line; each request picks one at random.
--   CHECKS   a file of "KEY<TAB>TEXT" lines, or "-": an answer is right when it is a 200 and,
--            with checks, the first match of PATTERN in its body is a KEY whose TEXT the body
--            holds (wrk does not say which request an answer is for, so the answer names itself:
--            a status answer carries its receipt code); without checks, when the body holds NEEDLE.
--   PATTERN  a Lua pattern (the receipt code), or "-".
--   NEEDLE   plain text every right answer holds, or "-".
-- Each thread's requests carry X-Forwarded-For 10.T.x.y, counting up, as the Python driver does.

-- Globals, not locals: done() reads wrong/first_wrong of each thread with thread:get, and
-- setup() gives each thread its thread_id with thread:set.
thread_id, wrong, first_wrong = 0, 0, ""
local counter = 0
local targets, checks, pattern, needle = {}, nil, nil, nil
local threads = {}

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end

function setup(thread)
  thread:set("thread_id", #threads + 1)
  threads[#threads + 1] = thread
end

function init(args)
  targets = read_lines(args[1])
  if args[2] and args[2] ~= "-" then
    checks = {}
    for _, line in ipairs(read_lines(args[2])) do
      local key, text = line:match("^([^\t]+)\t(.*)$")
      checks[key] = text
    end
  end
  if args[3] and args[3] ~= "-" then pattern = args[3] end
  if args[4] and args[4] ~= "-" then needle = args[4] end
  math.randomseed(7919 * thread_id + os.time())
end

function request()
  counter = counter + 1
  local address = string.format("10.%d.%d.%d", (thread_id * 16 + math.floor(counter / 65536)) % 256,
                                math.floor(counter / 256) % 256, counter % 256)
  return wrk.format("GET", targets[math.random(#targets)], {["X-Forwarded-For"] = address})
end

local function fail(why)
  wrong = wrong + 1
  if first_wrong == "" then first_wrong = why end
end

function response(status, headers, body)
  if status ~= 200 then
    return fail("HTTP " .. status .. ": " .. string.sub(body or "", 1, 200))
  end
  if needle and not string.find(body, needle, 1, true) then
    return fail("the answer lacks " .. needle)
  end
  if checks then
    local key = pattern and string.match(body, pattern)
    local text = key and checks[key]
    if not text then return fail("the answer names no known code: " .. string.sub(body, 1, 200)) end
    if not string.find(body, text, 1, true) then
      return fail("the answer for " .. key .. " lacks " .. text)
    end
  end
end

local function quote(s)
  return '"' .. string.gsub(string.gsub(s, '[%c"\\]', function(c)
    return string.format("\\u%04x", string.byte(c))
  end), "[\128-\255]", "?") .. '"'
end

function done(summary, latency, requests)
  local total_wrong, first = 0, ""
  for _, thread in ipairs(threads) do
    total_wrong = total_wrong + (thread:get("wrong") or 0)
    if first == "" then first = thread:get("first_wrong") or "" end
  end
  local e = summary.errors
  local parts = {
    string.format('"requests": %d', summary.requests),
    string.format('"duration_us": %d', summary.duration),
    string.format('"bytes": %d', summary.bytes),
    string.format('"wrong": %d', total_wrong),
    string.format('"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}',
                  e.connect, e.read, e.write, e.timeout, e.status),
    string.format('"latency_us": {"mean": %.1f, "max": %d, "p50": %d, "p95": %d, "p99": %d, "p999": %d}',
                  latency.mean, latency.max, latency:percentile(50), latency:percentile(95),
                  latency:percentile(99), latency:percentile(99.9)),
    '"first_wrong": ' .. quote(first),
  }
  io.write("WRKJSON {" .. table.concat(parts, ", ") .. "}\n")
end
