local BinaryTrees = {}
local function bottom_up_tree(depth)
  if depth > 0 then return {bottom_up_tree(depth - 1), bottom_up_tree(depth - 1)} end
  return {false, false}
end
local function item_check(t)
  if not t[1] then return 1 end
  return 1 + item_check(t[1]) + item_check(t[2])
end
function BinaryTrees:inner_benchmark_loop(n)
  local min_depth = 4
  local max_depth = n < min_depth + 2 and min_depth + 2 or n
  local stretch = max_depth + 1
  if item_check(bottom_up_tree(stretch)) ~= 2 ^ (stretch + 1) - 1 then return false end
  local long_lived = bottom_up_tree(max_depth)
  for d = min_depth, max_depth, 2 do
    local iterations = 2 ^ (max_depth - d + min_depth)
    local check = 0
    for _ = 1, iterations do check = check + item_check(bottom_up_tree(d)) end
    if check ~= iterations * (2 ^ (d + 1) - 1) then return false end
  end
  return item_check(long_lived) == 2 ^ (max_depth + 1) - 1
end
return BinaryTrees
