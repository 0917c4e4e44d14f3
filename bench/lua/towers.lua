local som = require("som")
local Towers = {inner_benchmark_loop = som.inner_benchmark_loop}
function Towers:push_disk(disk, pile)
  local top = self.piles[pile]
  if top and disk.size >= top.size then error("Cannot put a big disk on a smaller one") end
  disk.next = top
  self.piles[pile] = disk
end
function Towers:pop_disk_from(pile)
  local top = self.piles[pile]
  if not top then error("Attempting to remove a disk from an empty pile") end
  self.piles[pile] = top.next
  top.next = false
  return top
end
function Towers:move_top_disk(from, to)
  self:push_disk(self:pop_disk_from(from), to)
  self.moves_done = self.moves_done + 1
end
function Towers:build_tower_at(pile, disks)
  for i = disks, 0, -1 do self:push_disk({size = i, next = false}, pile) end
end
function Towers:move_disks(disks, from, to)
  if disks == 1 then
    self:move_top_disk(from, to)
  else
    local other = (3 - from) - to
    self:move_disks(disks - 1, from, other)
    self:move_top_disk(from, to)
    self:move_disks(disks - 1, other, to)
  end
end
function Towers:benchmark()
  self.piles = {[0] = false, false, false}
  self:build_tower_at(0, 13)
  self.moves_done = 0
  self:move_disks(13, 0, 1)
  return self.moves_done
end
function Towers:verify_result(r) return r == 8191 end
return Towers
