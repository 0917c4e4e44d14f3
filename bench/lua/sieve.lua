local som = require("som")
local Sieve = {inner_benchmark_loop = som.inner_benchmark_loop}
local function sieve(flags, size)
  local prime_count = 0
  for i = 2, size do
    if flags[i - 1] then
      prime_count = prime_count + 1
      local k = i + i
      while k <= size do flags[k - 1] = false; k = k + i end
    end
  end
  return prime_count
end
function Sieve:benchmark()
  local flags = {}
  for i = 0, 4999 do flags[i] = true end
  return sieve(flags, 5000)
end
function Sieve:verify_result(r) return r == 669 end
return Sieve
