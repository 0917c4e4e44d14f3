local som = require("som")
local SpectralNorm = {inner_benchmark_loop = som.inner_benchmark_loop}
local function eval_a(i, j) return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1) end
local function multiply_av(n, v, av)
  for i = 0, n - 1 do
    local s = 0.0
    for j = 0, n - 1 do s = s + eval_a(i, j) * v[j] end
    av[i] = s
  end
end
local function multiply_atv(n, v, atv)
  for i = 0, n - 1 do
    local s = 0.0
    for j = 0, n - 1 do s = s + eval_a(j, i) * v[j] end
    atv[i] = s
  end
end
local function multiply_atav(n, v, out, tmp) multiply_av(n, v, tmp); multiply_atv(n, tmp, out) end
function SpectralNorm:benchmark()
  local n = 100
  local u, v, tmp = {}, {}, {}
  for i = 0, n - 1 do u[i] = 1.0; v[i] = 0.0; tmp[i] = 0.0 end
  for _ = 1, 10 do multiply_atav(n, u, v, tmp); multiply_atav(n, v, u, tmp) end
  local vbv, vv = 0.0, 0.0
  for i = 0, n - 1 do vbv = vbv + u[i] * v[i]; vv = vv + v[i] * v[i] end
  return vbv / vv
end
function SpectralNorm:verify_result(r)
  return r > 1.2742199905 * 1.2742199905 and r < 1.2742199915 * 1.2742199915
end
return SpectralNorm
