local som = require("som")
local Storage = {inner_benchmark_loop = som.inner_benchmark_loop}
function Storage:build_tree_depth(depth, random)
  self.count = self.count + 1
  if depth == 1 then
    local n = random:next() % 10 + 1
    local a = {}
    for i = 1, n do a[i] = false end
    return a
  end
  local arr = {false, false, false, false}
  local build = function() return self:build_tree_depth(depth - 1, random) end
  for i = 1, 4 do arr[i] = build(i) end
  return arr
end
function Storage:benchmark()
  local random = som.Random.new()
  self.count = 0
  self:build_tree_depth(7, random)
  return self.count
end
function Storage:verify_result(r) return r == 5461 end
return Storage
