-- AWFY NBody: the Benchmarks Game's n-body simulation with the suite's Body and
-- NBodySystem shape. The inner size is the number of advance steps.
local som = require("som")
local sqrt = math.sqrt

local PI = 3.141592653589793
local SOLAR_MASS = 4.0 * PI * PI
local DAYS_PER_YEAR = 365.24

local Body = som.class()
function Body.new(x, y, z, vx, vy, vz, mass)
  return setmetatable({x = x, y = y, z = z, vx = vx * DAYS_PER_YEAR, vy = vy * DAYS_PER_YEAR,
    vz = vz * DAYS_PER_YEAR, mass = mass * SOLAR_MASS}, Body)
end
function Body:offset_momentum(px, py, pz)
  self.vx = 0.0 - (px / SOLAR_MASS)
  self.vy = 0.0 - (py / SOLAR_MASS)
  self.vz = 0.0 - (pz / SOLAR_MASS)
end
function Body.jupiter()
  return Body.new(4.8414314424647209, -1.16032004402742839, -0.103622044471123109,
    0.00166007664274403694, 0.00769901118419740425, -0.0000690460016972063023, 0.000954791938424326609)
end
function Body.saturn()
  return Body.new(8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
    -0.00276742510726862411, 0.00499852801234917238, 0.0000230417297573763929, 0.000285885980666130812)
end
function Body.uranus()
  return Body.new(12.894369562139131, -15.1111514016986312, -0.223307578892655734,
    0.00296460137564761618, 0.0023784717395948095, -0.0000296589568540237556, 0.0000436624404335156298)
end
function Body.neptune()
  return Body.new(15.3796971148509165, -25.9193146099879641, 0.179258772950371181,
    0.00268067772490389322, 0.00162824170038242295, -0.000095159225451971587, 0.0000515138902046611451)
end
function Body.sun() return Body.new(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0) end

local NBodySystem = som.class()
function NBodySystem.new()
  local bodies = {Body.sun(), Body.jupiter(), Body.saturn(), Body.uranus(), Body.neptune()}
  local px, py, pz = 0.0, 0.0, 0.0
  for i = 1, #bodies do
    local b = bodies[i]
    px = px + b.vx * b.mass
    py = py + b.vy * b.mass
    pz = pz + b.vz * b.mass
  end
  bodies[1]:offset_momentum(px, py, pz)
  return setmetatable({bodies = bodies}, NBodySystem)
end

function NBodySystem:advance(dt)
  local bodies = self.bodies
  local n = #bodies
  for i = 1, n do
    local ib = bodies[i]
    for j = i + 1, n do
      local jb = bodies[j]
      local dx = ib.x - jb.x
      local dy = ib.y - jb.y
      local dz = ib.z - jb.z
      local d_squared = dx * dx + dy * dy + dz * dz
      local distance = sqrt(d_squared)
      local mag = dt / (d_squared * distance)
      ib.vx = ib.vx - (dx * jb.mass * mag)
      ib.vy = ib.vy - (dy * jb.mass * mag)
      ib.vz = ib.vz - (dz * jb.mass * mag)
      jb.vx = jb.vx + (dx * ib.mass * mag)
      jb.vy = jb.vy + (dy * ib.mass * mag)
      jb.vz = jb.vz + (dz * ib.mass * mag)
    end
  end
  for i = 1, n do
    local b = bodies[i]
    b.x = b.x + dt * b.vx
    b.y = b.y + dt * b.vy
    b.z = b.z + dt * b.vz
  end
end

function NBodySystem:energy()
  local bodies = self.bodies
  local n = #bodies
  local e = 0.0
  for i = 1, n do
    local ib = bodies[i]
    e = e + 0.5 * ib.mass * (ib.vx * ib.vx + ib.vy * ib.vy + ib.vz * ib.vz)
    for j = i + 1, n do
      local jb = bodies[j]
      local dx = ib.x - jb.x
      local dy = ib.y - jb.y
      local dz = ib.z - jb.z
      local distance = sqrt(dx * dx + dy * dy + dz * dz)
      e = e - (ib.mass * jb.mass) / distance
    end
  end
  return e
end

local NBody = {}
local function verify(result, n)
  if n == 250000 then return result == -0.1690859889909308 end
  if n == 1 then return result == -0.16907495402506745 end
  print("No verification result for " .. n .. " found")
  print(string.format("Result is: %.17g", result))
  return false
end
function NBody:inner_benchmark_loop(n)
  local system = NBodySystem.new()
  for _ = 1, n do system:advance(0.01) end
  return verify(system:energy(), n)
end
return NBody
