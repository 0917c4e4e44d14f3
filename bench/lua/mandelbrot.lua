local som = require("som")
local bxor, lshift = som.bxor, som.lshift
local Mandelbrot = {}
local function mandelbrot(size)
  local sum, byte_acc, bit_num, y = 0, 0, 0, 0
  while y < size do
    local ci = (2.0 * y / size) - 1.0
    local x = 0
    while x < size do
      local zrzr, zi, zizi = 0.0, 0.0, 0.0
      local cr = (2.0 * x / size) - 1.5
      local z, not_done, escape = 0, true, 0
      while not_done and z < 50 do
        local zr = zrzr - zizi + cr
        zi = 2.0 * zr * zi + ci
        zrzr = zr * zr
        zizi = zi * zi
        if zrzr + zizi > 4.0 then not_done = false; escape = 1 end
        z = z + 1
      end
      byte_acc = lshift(byte_acc, 1) + escape
      bit_num = bit_num + 1
      if bit_num == 8 then
        sum = bxor(sum, byte_acc); byte_acc = 0; bit_num = 0
      elseif x == size - 1 then
        byte_acc = lshift(byte_acc, 8 - bit_num)
        sum = bxor(sum, byte_acc); byte_acc = 0; bit_num = 0
      end
      x = x + 1
    end
    y = y + 1
  end
  return sum
end
function Mandelbrot:inner_benchmark_loop(n)
  local r = mandelbrot(n)
  if n == 500 then return r == 191 end
  if n == 750 then return r == 50 end
  if n == 1 then return r == 128 end
  print("No verification result for " .. n .. " found")
  return false
end
return Mandelbrot
