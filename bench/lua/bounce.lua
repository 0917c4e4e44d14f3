local som = require("som")
local Ball = som.class()
function Ball.new(random)
  local b = setmetatable({}, Ball)
  b.x = random:next() % 500
  b.y = random:next() % 500
  b.x_vel = (random:next() % 300) - 150
  b.y_vel = (random:next() % 300) - 150
  return b
end
function Ball:bounce()
  local x_limit, y_limit, bounced = 500, 500, false
  self.x = self.x + self.x_vel
  self.y = self.y + self.y_vel
  if self.x > x_limit then self.x = x_limit; self.x_vel = 0 - math.abs(self.x_vel); bounced = true end
  if self.x < 0 then self.x = 0; self.x_vel = math.abs(self.x_vel); bounced = true end
  if self.y > y_limit then self.y = y_limit; self.y_vel = 0 - math.abs(self.y_vel); bounced = true end
  if self.y < 0 then self.y = 0; self.y_vel = math.abs(self.y_vel); bounced = true end
  return bounced
end
local Bounce = {inner_benchmark_loop = som.inner_benchmark_loop}
function Bounce:benchmark()
  local random = som.Random.new()
  local ball_count, bounces = 100, 0
  local balls = {}
  for i = 1, ball_count do balls[i] = Ball.new(random) end
  for _ = 1, 50 do
    for _, ball in ipairs(balls) do
      if ball:bounce() then bounces = bounces + 1 end
    end
  end
  return bounces
end
function Bounce:verify_result(r) return r == 1331 end
return Bounce
