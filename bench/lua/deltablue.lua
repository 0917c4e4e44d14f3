-- AWFY DeltaBlue: the incremental constraint solver (from Mario Wolczko's
-- Smalltalk/Java versions) with the suite's collections and closures; the chain and
-- projection tests verify their own values.
local som = require("som")
local Vector, IdentityDictionary = som.Vector, som.IdentityDictionary

-- ---- strengths ----
local Sym = som.class()
function Sym.new(hash) return setmetatable({hash = hash}, Sym) end
function Sym:custom_hash() return self.hash end

local ABSOLUTE_STRONGEST = Sym.new(0)
local REQUIRED = Sym.new(1)
local STRONG_PREFERRED = Sym.new(2)
local PREFERRED = Sym.new(3)
local STRONG_DEFAULT = Sym.new(4)
local DEFAULT = Sym.new(5)
local WEAK_DEFAULT = Sym.new(6)
local ABSOLUTE_WEAKEST = Sym.new(7)

local strength_table = IdentityDictionary.new()
strength_table:at_put(ABSOLUTE_STRONGEST, -10000)
strength_table:at_put(REQUIRED, -800)
strength_table:at_put(STRONG_PREFERRED, -600)
strength_table:at_put(PREFERRED, -400)
strength_table:at_put(STRONG_DEFAULT, -200)
strength_table:at_put(DEFAULT, 0)
strength_table:at_put(WEAK_DEFAULT, 500)
strength_table:at_put(ABSOLUTE_WEAKEST, 10000)

-- Strengths are made only here, one per Sym, so identity is value equality.
local Strength = som.class()
function Strength.new(sym)
  return setmetatable({symbolic_value = sym, arithmetic_value = strength_table:at(sym)}, Strength)
end
function Strength:same_as(s) return self.arithmetic_value == s.arithmetic_value end
function Strength:stronger(s) return self.arithmetic_value < s.arithmetic_value end
function Strength:weaker(s) return self.arithmetic_value > s.arithmetic_value end
function Strength:strongest(s) if s:stronger(self) then return s end return self end
function Strength:weakest(s) if s:weaker(self) then return s end return self end

local strength_constant = IdentityDictionary.new()
strength_table:keys():each(function(key) strength_constant:at_put(key, Strength.new(key)) end)
local function strength_of(sym) return strength_constant:at(sym) end
local absolute_weakest = strength_of(ABSOLUTE_WEAKEST)
local required = strength_of(REQUIRED)

-- The Direction enum; NONE (null in the suite) means unsatisfied.
local NONE, FORWARD, BACKWARD = 0, 1, 2

-- ---- variables ----
local Variable = som.class()
function Variable.new()
  return setmetatable({value = 0, constraints = Vector.new(2), determined_by = false, mark = 0,
    walk_strength = absolute_weakest, stay = true}, Variable)
end
function Variable.with_value(v)
  local var = Variable.new()
  var.value = v
  return var
end
function Variable:add_constraint(c) self.constraints:append(c) end
function Variable:remove_constraint(c)
  self.constraints:remove(c)
  if self.determined_by == c then self.determined_by = false end
end

-- ---- constraints ----
local AbstractConstraint = som.class()
function AbstractConstraint:init(strength) self.strength = strength_of(strength) end
function AbstractConstraint:is_input() return false end
function AbstractConstraint:add_constraint(planner)
  self:add_to_graph()
  planner:incremental_add(self)
end
function AbstractConstraint:destroy_constraint(planner)
  if self:is_satisfied() then planner:incremental_remove(self) end
  self:remove_from_graph()
end
function AbstractConstraint:inputs_known(mark)
  return not self:inputs_has_one(function(v)
    return not (v.mark == mark or v.stay or not v.determined_by)
  end)
end
function AbstractConstraint:satisfy(mark, planner)
  local overridden
  self:choose_method(mark)
  if self:is_satisfied() then
    self:inputs_do(function(v) v.mark = mark end)
    local out = self:get_output()
    overridden = out.determined_by
    if overridden then overridden:mark_unsatisfied() end
    out.determined_by = self
    if not planner:add_propagate(self, mark) then error("Cycle encountered") end
    out.mark = mark
  else
    overridden = false
    if self.strength:same_as(required) then error("Could not satisfy a required constraint") end
  end
  return overridden
end

local UnaryConstraint = som.class(AbstractConstraint)
function UnaryConstraint:init(v, strength, planner)
  AbstractConstraint.init(self, strength)
  self.output = v
  self.satisfied = false
  self:add_constraint(planner)
end
function UnaryConstraint:is_satisfied() return self.satisfied end
function UnaryConstraint:add_to_graph()
  self.output:add_constraint(self)
  self.satisfied = false
end
function UnaryConstraint:remove_from_graph()
  if self.output then self.output:remove_constraint(self) end
  self.satisfied = false
end
function UnaryConstraint:choose_method(mark)
  self.satisfied = self.output.mark ~= mark and self.strength:stronger(self.output.walk_strength)
end
function UnaryConstraint:inputs_do(f) end
function UnaryConstraint:inputs_has_one(f) return false end
function UnaryConstraint:mark_unsatisfied() self.satisfied = false end
function UnaryConstraint:get_output() return self.output end
function UnaryConstraint:recalculate()
  self.output.walk_strength = self.strength
  self.output.stay = not self:is_input()
  if self.output.stay then self:execute() end
end

-- Marks a variable that should, with some preference, keep its value.
local StayConstraint = som.class(UnaryConstraint)
function StayConstraint.new(v, strength, planner)
  local c = setmetatable({}, StayConstraint)
  c:init(v, strength, planner)
  return c
end
function StayConstraint:execute() end

-- Marks a variable the client wishes to change.
local EditConstraint = som.class(UnaryConstraint)
function EditConstraint.new(v, strength, planner)
  local c = setmetatable({}, EditConstraint)
  c:init(v, strength, planner)
  return c
end
function EditConstraint:is_input() return true end
function EditConstraint:execute() end

local BinaryConstraint = som.class(AbstractConstraint)
function BinaryConstraint:init(var1, var2, strength, planner)
  AbstractConstraint.init(self, strength)
  self.v1 = var1
  self.v2 = var2
  self.direction = NONE
end
function BinaryConstraint:is_satisfied() return self.direction ~= NONE end
function BinaryConstraint:add_to_graph()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.direction = NONE
end
function BinaryConstraint:remove_from_graph()
  if self.v1 then self.v1:remove_constraint(self) end
  if self.v2 then self.v2:remove_constraint(self) end
  self.direction = NONE
end
function BinaryConstraint:choose_method(mark)
  local v1, v2, strength = self.v1, self.v2, self.strength
  if v1.mark == mark then
    if v2.mark ~= mark and strength:stronger(v2.walk_strength) then
      self.direction = FORWARD
    else
      self.direction = NONE
    end
    return
  end
  if v2.mark == mark then
    if v1.mark ~= mark and strength:stronger(v1.walk_strength) then
      self.direction = BACKWARD
    else
      self.direction = NONE
    end
    return
  end
  -- Neither variable is marked: choose.
  if v1.walk_strength:weaker(v2.walk_strength) then
    if strength:stronger(v1.walk_strength) then self.direction = BACKWARD else self.direction = NONE end
  else
    if strength:stronger(v2.walk_strength) then self.direction = FORWARD else self.direction = NONE end
  end
end
function BinaryConstraint:inputs_do(f)
  if self.direction == FORWARD then f(self.v1) else f(self.v2) end
end
function BinaryConstraint:inputs_has_one(f)
  if self.direction == FORWARD then return f(self.v1) end
  return f(self.v2)
end
function BinaryConstraint:mark_unsatisfied() self.direction = NONE end
function BinaryConstraint:get_output()
  if self.direction == FORWARD then return self.v2 end
  return self.v1
end
function BinaryConstraint:recalculate()
  local input, out
  if self.direction == FORWARD then input, out = self.v1, self.v2 else input, out = self.v2, self.v1 end
  out.walk_strength = self.strength:weakest(input.walk_strength)
  out.stay = input.stay
  if out.stay then self:execute() end
end

-- v1 == v2
local EqualityConstraint = som.class(BinaryConstraint)
function EqualityConstraint.new(var1, var2, strength, planner)
  local c = setmetatable({}, EqualityConstraint)
  c:init(var1, var2, strength, planner)
  c:add_constraint(planner)
  return c
end
function EqualityConstraint:execute()
  if self.direction == FORWARD then self.v2.value = self.v1.value else self.v1.value = self.v2.value end
end

-- v2 == v1 * scale + offset; scale and offset are read-only.
local ScaleConstraint = som.class(BinaryConstraint)
function ScaleConstraint.new(src, scale, offset, dest, strength, planner)
  local c = setmetatable({}, ScaleConstraint)
  c:init(src, dest, strength, planner)
  c.scale = scale
  c.offset = offset
  c:add_constraint(planner)
  return c
end
function ScaleConstraint:add_to_graph()
  self.v1:add_constraint(self)
  self.v2:add_constraint(self)
  self.scale:add_constraint(self)
  self.offset:add_constraint(self)
  self.direction = NONE
end
function ScaleConstraint:remove_from_graph()
  if self.v1 then self.v1:remove_constraint(self) end
  if self.v2 then self.v2:remove_constraint(self) end
  if self.scale then self.scale:remove_constraint(self) end
  if self.offset then self.offset:remove_constraint(self) end
  self.direction = NONE
end
function ScaleConstraint:execute()
  if self.direction == FORWARD then
    self.v2.value = self.v1.value * self.scale.value + self.offset.value
  else
    -- Java's int division truncates toward zero
    local q = (self.v2.value - self.offset.value) / self.scale.value
    if q >= 0 then q = math.floor(q) else q = math.ceil(q) end
    self.v1.value = q
  end
end
function ScaleConstraint:inputs_do(f)
  if self.direction == FORWARD then
    f(self.v1); f(self.scale); f(self.offset)
  else
    f(self.v2); f(self.scale); f(self.offset)
  end
end
function ScaleConstraint:recalculate()
  local input, out
  if self.direction == FORWARD then input, out = self.v1, self.v2 else input, out = self.v2, self.v1 end
  out.walk_strength = self.strength:weakest(input.walk_strength)
  out.stay = input.stay and self.scale.stay and self.offset.stay
  if out.stay then self:execute() end
end

-- ---- plans and the planner ----
-- An ordered list of constraints to execute in sequence.
local Plan = som.class(Vector)
function Plan.new()
  local p = Vector.new(15)
  return setmetatable(p, Plan)
end
function Plan:execute() self:each(function(c) c:execute() end) end

local Planner = som.class()
function Planner.new() return setmetatable({current_mark = 1}, Planner) end
function Planner:new_mark()
  self.current_mark = self.current_mark + 1
  return self.current_mark
end
function Planner:incremental_add(c)
  local mark = self:new_mark()
  local overridden = c:satisfy(mark, self)
  while overridden do overridden = overridden:satisfy(mark, self) end
end
function Planner:incremental_remove(c)
  local out = c:get_output()
  c:mark_unsatisfied()
  c:remove_from_graph()
  local unsatisfied = self:remove_propagate_from(out)
  unsatisfied:each(function(u) self:incremental_add(u) end)
end
function Planner:extract_plan_from_constraints(constraints)
  local sources = Vector.new()
  constraints:each(function(c)
    if c:is_input() and c:is_satisfied() then sources:append(c) end
  end)
  return self:make_plan(sources)
end
function Planner:make_plan(sources)
  local mark = self:new_mark()
  local plan = Plan.new()
  local todo = sources
  while not todo:is_empty() do
    local c = todo:remove_first()
    if c:get_output().mark ~= mark and c:inputs_known(mark) then
      plan:append(c)
      c:get_output().mark = mark
      self:add_constraints_consuming_to(c:get_output(), todo)
    end
  end
  return plan
end
function Planner:propagate_from(v)
  local todo = Vector.new()
  self:add_constraints_consuming_to(v, todo)
  while not todo:is_empty() do
    local c = todo:remove_first()
    c:execute()
    self:add_constraints_consuming_to(c:get_output(), todo)
  end
end
function Planner:add_constraints_consuming_to(v, coll)
  local determining_c = v.determined_by
  v.constraints:each(function(c)
    if c ~= determining_c and c:is_satisfied() then coll:append(c) end
  end)
end
function Planner:add_propagate(c, mark)
  local todo = Vector.with(c)
  while not todo:is_empty() do
    local d = todo:remove_first()
    if d:get_output().mark == mark then
      self:incremental_remove(c)
      return false
    end
    d:recalculate()
    self:add_constraints_consuming_to(d:get_output(), todo)
  end
  return true
end
function Planner:change(v, new_value)
  local edit_c = EditConstraint.new(v, PREFERRED, self)
  local edit_v = Vector.with(edit_c)
  local plan = self:extract_plan_from_constraints(edit_v)
  for _ = 1, 10 do
    v.value = new_value
    plan:execute()
  end
  edit_c:destroy_constraint(self)
end
function Planner:constraints_consuming(v, f)
  local determining_c = v.determined_by
  v.constraints:each(function(c)
    if c ~= determining_c and c:is_satisfied() then f(c) end
  end)
end
function Planner:remove_propagate_from(out)
  local unsatisfied = Vector.new()
  out.determined_by = false
  out.walk_strength = absolute_weakest
  out.stay = true
  local todo = Vector.with(out)
  while not todo:is_empty() do
    local v = todo:remove_first()
    v.constraints:each(function(c)
      if not c:is_satisfied() then unsatisfied:append(c) end
    end)
    self:constraints_consuming(v, function(c)
      c:recalculate()
      todo:append(c:get_output())
    end)
  end
  unsatisfied:sort(function(c1, c2)
    if c1.strength:stronger(c2.strength) then return -1 end
    return 1
  end)
  return unsatisfied
end

-- A chain of n equality constraints, a stay at one end and an edit at the other.
local function chain_test(n)
  local planner = Planner.new()
  local vars = {}
  for i = 0, n do vars[i] = Variable.new() end
  for i = 0, n - 1 do EqualityConstraint.new(vars[i], vars[i + 1], REQUIRED, planner) end
  StayConstraint.new(vars[n], STRONG_DEFAULT, planner)
  local edit_c = EditConstraint.new(vars[0], PREFERRED, planner)
  local edit_v = Vector.with(edit_c)
  local plan = planner:extract_plan_from_constraints(edit_v)
  for i = 0, 99 do
    vars[0].value = i
    plan:execute()
    if vars[n].value ~= i then return false end   -- "Chain test failed!"
  end
  edit_c:destroy_constraint(planner)
  return true
end

-- Two sets of variables related by a linear transformation (scale, offset).
local function projection_test(n)
  local planner = Planner.new()
  local dests = Vector.new()
  local scale = Variable.with_value(10)
  local offset = Variable.with_value(1000)
  local src, dst
  for i = 1, n do
    src = Variable.with_value(i)
    dst = Variable.with_value(i)
    dests:append(dst)
    StayConstraint.new(src, DEFAULT, planner)
    ScaleConstraint.new(src, scale, offset, dst, REQUIRED, planner)
  end
  planner:change(src, 17)
  if dst.value ~= 1170 then return false end
  planner:change(dst, 1050)
  if src.value ~= 5 then return false end
  planner:change(scale, 5)
  for i = 0, n - 2 do
    if dests:at(i + 1).value ~= (i + 1) * 5 + 1000 then return false end
  end
  planner:change(offset, 2000)
  for i = 0, n - 2 do
    if dests:at(i + 1).value ~= (i + 1) * 5 + 2000 then return false end
  end
  return true
end

local DeltaBlue = {}
function DeltaBlue:inner_benchmark_loop(inner_iterations)
  return chain_test(inner_iterations) and projection_test(inner_iterations)
end
return DeltaBlue
