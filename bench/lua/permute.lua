local som = require("som")
local Permute = {inner_benchmark_loop = som.inner_benchmark_loop}
function Permute:swap(i, j)
  local v = self.v
  local tmp = v[i]; v[i] = v[j]; v[j] = tmp
end
function Permute:permute(n)
  self.count = self.count + 1
  if n ~= 0 then
    local n1 = n - 1
    self:permute(n1)
    for i = n1, 0, -1 do
      self:swap(n1, i)
      self:permute(n1)
      self:swap(n1, i)
    end
  end
end
function Permute:benchmark()
  self.count = 0
  self.v = {0, 0, 0, 0, 0, 0}
  self:permute(6)
  return self.count
end
function Permute:verify_result(r) return r == 8660 end
return Permute
