-- bench/collections: the Lua 5.4 / LuaJIT peer of collections.kl (same phases,
-- same checks). A Lua table is both the list (t[i]) and the map (t[key]).
--   lua5.4 collections.lua [N REPS K KREPS]     luajit collections.lua ...
local clock = os.clock
local function ms(t0) return string.format("%.1f", (clock() - t0) * 1000) end

local n, reps, k, kreps = 1000000, 20, 100000, 20
if #arg == 4 then n, reps, k, kreps = tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3]), tonumber(arg[4]) end

local list = {}
for i = 0, n - 1 do list[#list + 1] = i end
local t0 = clock()
local sum = 0
for r = 1, reps do
  for i = 1, #list do sum = sum + list[i] end
end
print("listget " .. ms(t0))
if sum ~= reps * (n * (n - 1) / 2) then print("listget: wrong sum " .. sum); os.exit(1) end

local keys, map = {}, {}
for i = 0, k - 1 do
  keys[i + 1] = "key" .. i
  map[keys[i + 1]] = i
end
t0 = clock()
local total = 0
for r = 1, kreps do
  for i = 1, k do total = total + map[keys[i]] end
end
print("mapget " .. ms(t0))
if total ~= kreps * (k * (k - 1) / 2) then print("mapget: wrong sum " .. total); os.exit(1) end
