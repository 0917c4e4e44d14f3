-- The AWFY harness: lua harness.lua <Benchmark> <outer iterations> <inner size>
local dir = arg[0]:match("(.*/)") or "./"
package.path = dir .. "?.lua;" .. package.path

local name = arg[1]
local outer = tonumber(arg[2] or "1")
local inner = tonumber(arg[3] or "1")
local clock = os.clock
do -- a monotonic wall clock when available (luajit + ffi); else process CPU time
  local okffi, ffi = pcall(require, "ffi")
  if okffi then
    ffi.cdef("typedef struct { long tv_sec; long tv_nsec; } kiln_ts; int clock_gettime(int, kiln_ts *);")
    local ts = ffi.new("kiln_ts")
    clock = function() ffi.C.clock_gettime(1, ts); return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) * 1e-9 end
  end
end

local bench = require(name:lower())
print("Starting " .. name .. " benchmark ...")
local total = 0
for _ = 1, outer do
  local s = clock()
  if not bench:inner_benchmark_loop(inner) then
    print("Benchmark failed with incorrect result")
    os.exit(1)
  end
  local t = math.floor((clock() - s) * 1e6)
  total = total + t
  print(name .. ": iterations=1 runtime: " .. t .. "us")
end
print(name .. ": iterations=" .. outer .. " average: " .. math.floor(total / outer) .. "us total: " .. total .. "us\n")
print("Total Runtime: " .. total .. "us")
