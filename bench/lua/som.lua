-- The AWFY support code for the Lua peers; runs on Lua 5.4 and LuaJIT 2.1.
local som = {}

local ok, bitlib = pcall(require, "bit")
if ok then
  som.bxor, som.band, som.lshift = bitlib.bxor, bitlib.band, bitlib.lshift
else
  local f = load("return function(a, b) return a ~ b end, function(a, b) return a & b end, function(a, n) return a << n end")
  som.bxor, som.band, som.lshift = f()
end

local Random = {}
Random.__index = Random
function Random.new() return setmetatable({seed = 74755}, Random) end
function Random:next()
  self.seed = ((self.seed * 1309) + 13849) % 65536
  return self.seed
end
som.Random = Random

-- Default innerBenchmarkLoop of the suite's Benchmark class.
function som.inner_benchmark_loop(self, n)
  for _ = 1, n do
    if not self:verify_result(self:benchmark()) then return false end
  end
  return true
end

function som.class(parent)
  local c = {}
  c.__index = c
  if parent then setmetatable(c, {__index = parent}) end
  return c
end

return som
