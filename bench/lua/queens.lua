local som = require("som")
local Queens = {inner_benchmark_loop = som.inner_benchmark_loop}
function Queens:get_row_column(r, c)
  return self.free_rows[r] and self.free_maxs[c + r] and self.free_mins[c - r + 7]
end
function Queens:set_row_column(r, c, v)
  self.free_rows[r] = v; self.free_maxs[c + r] = v; self.free_mins[c - r + 7] = v
end
function Queens:place_queen(c)
  for r = 0, 7 do
    if self:get_row_column(r, c) then
      self.queen_rows[r] = c
      self:set_row_column(r, c, false)
      if c == 7 then return true end
      if self:place_queen(c + 1) then return true end
      self:set_row_column(r, c, true)
    end
  end
  return false
end
function Queens:queens()
  self.free_rows, self.free_maxs, self.free_mins, self.queen_rows = {}, {}, {}, {}
  for i = 0, 7 do self.free_rows[i] = true end
  for i = 0, 15 do self.free_maxs[i] = true end
  for i = 0, 15 do self.free_mins[i] = true end
  for i = 0, 7 do self.queen_rows[i] = -1 end
  return self:place_queen(0)
end
function Queens:benchmark()
  local result = true
  for _ = 1, 10 do result = result and self:queens() end
  return result
end
function Queens:verify_result(r) return r end
return Queens
