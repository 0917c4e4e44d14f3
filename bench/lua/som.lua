-- The AWFY support code for the Lua peers; runs on Lua 5.4 and LuaJIT 2.1.
local som = {}

local ok, bitlib = pcall(require, "bit")
if ok then
  som.bxor, som.band, som.lshift = bitlib.bxor, bitlib.band, bitlib.lshift
else
  local f = load("return function(a, b) return a ~ b end, function(a, b) return a & b end, function(a, n) return a << n end")
  som.bxor, som.band, som.lshift = f()
end
if ok then
  som.rshift = bitlib.rshift
else
  som.rshift = load("return function(a, n) return a >> n end")()
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

-- The suite's collections (its "som" library). Vector indices are 1-based here, as is
-- usual in Lua; the storage grows by copying, as in the suite.
local new_table = function() return {} end
do
  local okt, tnew = pcall(require, "table.new")
  if okt then new_table = function(n) return tnew(n, 0) end end
end

local Vector = som.class()
function Vector.new(size)
  size = size or 50
  return setmetatable({storage = new_table(size), cap = size, first = 1, last = 1}, Vector)
end
function Vector.with(elem)
  local v = Vector.new(1)
  v:append(elem)
  return v
end
function Vector:at(idx)
  if idx > self.cap then return nil end
  return self.storage[idx]
end
local function grow(self, new_cap)
  local old, s = self.storage, new_table(new_cap)
  for i = 1, self.cap do s[i] = old[i] end
  self.storage, self.cap = s, new_cap
end
function Vector:at_put(idx, val)
  if idx > self.cap then
    local n = self.cap
    while n < idx do n = n * 2 end
    grow(self, n)
  end
  self.storage[idx] = val
  if self.last < idx + 1 then self.last = idx + 1 end
end
function Vector:append(elem)
  if self.last > self.cap then grow(self, self.cap == 0 and 1 or 2 * self.cap) end
  self.storage[self.last] = elem
  self.last = self.last + 1
end
function Vector:is_empty() return self.last == self.first end
function Vector:each(f)
  local s = self.storage
  for i = self.first, self.last - 1 do f(s[i]) end
end
function Vector:has_some(f)
  local s = self.storage
  for i = self.first, self.last - 1 do
    if f(s[i]) then return true end
  end
  return false
end
function Vector:get_one(f)
  local s = self.storage
  for i = self.first, self.last - 1 do
    local e = s[i]
    if f(e) then return e end
  end
  return nil
end
function Vector:first_element()
  if self:is_empty() then return nil end
  return self.storage[self.first]
end
function Vector:remove_first()
  if self:is_empty() then return nil end
  self.first = self.first + 1
  return self.storage[self.first - 1]
end
function Vector:remove(obj)
  local new_storage = new_table(self.cap)
  local new_last = 1
  local found = false
  self:each(function(it)
    if it == obj then
      found = true
    else
      new_storage[new_last] = it
      new_last = new_last + 1
    end
  end)
  self.storage, self.last, self.first = new_storage, new_last, 1
  return found
end
function Vector:remove_all()
  self.first, self.last = 1, 1
  self.storage = new_table(self.cap)
end
function Vector:size() return self.last - self.first end
function Vector:capacity() return self.cap end
-- The suite's median-of-three quicksort; c(a, b) > 0 means a goes after b.
function Vector:sort(c)
  if self:size() > 0 then self:sort_range(self.first, self.last - 1, c) end
end
function Vector:sort_range(i, j, c)
  local n = j + 1 - i
  if n <= 1 then return end
  local s = self.storage
  local di, dj = s[i], s[j]
  if c(di, dj) > 0 then
    s[i], s[j] = s[j], s[i]
    di, dj = dj, di
  end
  if n > 2 then
    local ij = math.floor((i + j) / 2)
    local dij = s[ij]
    if c(di, dij) <= 0 then
      if c(dij, dj) > 0 then
        s[j], s[ij] = s[ij], s[j]
        dij = dj
      end
    else
      s[i], s[ij] = s[ij], s[i]
      dij = di
    end
    if n > 3 then
      local k, l = i, j - 1
      while true do
        while k <= l and c(dij, s[l]) <= 0 do l = l - 1 end
        k = k + 1
        while k <= l and c(s[k], dij) <= 0 do k = k + 1 end
        if k > l then break end
        s[k], s[l] = s[l], s[k]
      end
      self:sort_range(i, l, c)
      self:sort_range(k, j, c)
    end
  end
end
som.Vector = Vector

-- Set: a Vector without duplicates (compared with ==, which is value equality for
-- Lua numbers and strings and identity for tables); IdentitySet is the same here.
local Set = som.class()
function Set.new(size)
  return setmetatable({items = Vector.new(size or 10)}, Set)
end
function Set:size() return self.items:size() end
function Set:each(f) self.items:each(f) end
function Set:has_some(f) return self.items:has_some(f) end
function Set:get_one(f) return self.items:get_one(f) end
function Set:add(obj)
  if not self:contains(obj) then self.items:append(obj) end
end
function Set:collect(f)
  local coll = Vector.new()
  self:each(function(e) coll:append(f(e)) end)
  return coll
end
function Set:contains(obj)
  return self:has_some(function(e) return e == obj end)
end
function Set:remove_all() self.items:remove_all() end
som.Set = Set

local IdentitySet = som.class(Set)
function IdentitySet.new(size)
  return setmetatable({items = Vector.new(size or 10)}, IdentitySet)
end
function IdentitySet:contains(obj)
  return self:has_some(function(e) return e == obj end)
end
som.IdentitySet = IdentitySet

-- Dictionary: chained hashing on the keys' custom_hash(); keys compared with ==
-- (for the suite's Dictionary, equals; its keys here are numbers, strings or the
-- same table). IdentityDictionary differs only in its entries' match.
local band, bxor, rshift = som.band, som.bxor, som.rshift

local DictEntry = som.class()
function DictEntry.new(hash, key, value, nxt)
  return setmetatable({hash = hash, key = key, value = value, next = nxt}, DictEntry)
end
function DictEntry:match(hash, key) return self.hash == hash and self.key == key end

local IdEntry = som.class(DictEntry)
function IdEntry.new(hash, key, value, nxt)
  return setmetatable({hash = hash, key = key, value = value, next = nxt}, IdEntry)
end
function IdEntry:match(hash, key) return self.hash == hash and rawequal(self.key, key) end

local Dictionary = som.class()
function Dictionary.new(size)
  size = size or 16
  return setmetatable({buckets = new_table(size), nbuckets = size, count = 0}, Dictionary)
end
local function hash_of(key)
  if key == nil then return 0 end
  local h = key:custom_hash()
  return bxor(h, rshift(h, 16))
end
function Dictionary:size() return self.count end
function Dictionary:is_empty() return self.count == 0 end
function Dictionary:bucket_idx(hash) return band(self.nbuckets - 1, hash) + 1 end
function Dictionary:at(key)
  local hash = hash_of(key)
  local e = self.buckets[self:bucket_idx(hash)]
  while e do
    if e:match(hash, key) then return e.value end
    e = e.next
  end
  return nil
end
function Dictionary:contains_key(key)
  local hash = hash_of(key)
  local e = self.buckets[self:bucket_idx(hash)]
  while e do
    if e:match(hash, key) then return true end
    e = e.next
  end
  return false
end
function Dictionary:new_entry(key, value, hash) return DictEntry.new(hash, key, value, nil) end
function Dictionary:at_put(key, value)
  local hash = hash_of(key)
  local i = self:bucket_idx(hash)
  local current = self.buckets[i]
  if not current then
    self.buckets[i] = self:new_entry(key, value, hash)
    self.count = self.count + 1
  else
    self:insert_bucket_entry(key, value, hash, current)
  end
  if self.count > self.nbuckets then self:resize() end
end
function Dictionary:insert_bucket_entry(key, value, hash, head)
  local current = head
  while true do
    if current:match(hash, key) then
      current.value = value
      return
    end
    if not current.next then
      self.count = self.count + 1
      current.next = self:new_entry(key, value, hash)
      return
    end
    current = current.next
  end
end
function Dictionary:resize()
  local old, n = self.buckets, self.nbuckets
  self.buckets, self.nbuckets = new_table(2 * n), 2 * n
  for i = 1, n do
    local current = old[i]
    if current then
      old[i] = nil
      if not current.next then
        self.buckets[band(current.hash, self.nbuckets - 1) + 1] = current
      else
        self:split_bucket(n, i, current)
      end
    end
  end
end
-- Keeps each chain's order: entries stay at i or move to i + old length.
function Dictionary:split_bucket(old_n, i, head)
  local lo_head, lo_tail, hi_head, hi_tail
  local current = head
  while current do
    if band(current.hash, old_n) == 0 then
      if not lo_tail then lo_head = current else lo_tail.next = current end
      lo_tail = current
    else
      if not hi_tail then hi_head = current else hi_tail.next = current end
      hi_tail = current
    end
    current = current.next
  end
  if lo_tail then
    lo_tail.next = nil
    self.buckets[i] = lo_head
  end
  if hi_tail then
    hi_tail.next = nil
    self.buckets[i + old_n] = hi_head
  end
end
function Dictionary:remove_all()
  self.buckets = new_table(self.nbuckets)
  self.count = 0
end
function Dictionary:keys()
  local keys = Vector.new(self.count)
  for i = 1, self.nbuckets do
    local current = self.buckets[i]
    while current do
      keys:append(current.key)
      current = current.next
    end
  end
  return keys
end
function Dictionary:values()
  local values = Vector.new(self.count)
  for i = 1, self.nbuckets do
    local current = self.buckets[i]
    while current do
      values:append(current.value)
      current = current.next
    end
  end
  return values
end
som.Dictionary = Dictionary

local IdentityDictionary = som.class(Dictionary)
function IdentityDictionary.new(size)
  size = size or 16
  return setmetatable({buckets = new_table(size), nbuckets = size, count = 0}, IdentityDictionary)
end
function IdentityDictionary:new_entry(key, value, hash) return IdEntry.new(hash, key, value, nil) end
som.IdentityDictionary = IdentityDictionary

return som
