-- AWFY Havlak: loop recognition (Havlak's algorithm, from Robert Hundt's loop
-- recognition tester) on a synthetic control-flow graph, with the suite's Vector,
-- Set, IdentitySet and IdentityDictionary. The inner size is the number of dummy
-- loop searches; the suite knows the result for 15000, 1500, 150, 15 and 1.
-- Block names and DFS numbers are the suite's (from 0); Vector indices are 1-based.
local som = require("som")
local Vector, Set, IdentitySet, IdentityDictionary = som.Vector, som.Set, som.IdentitySet, som.IdentityDictionary

-- ---- the control-flow graph ----
local BasicBlock = som.class()
function BasicBlock.new(name)
  return setmetatable({in_edges = Vector.new(2), out_edges = Vector.new(2), name = name}, BasicBlock)
end
function BasicBlock:num_pred() return self.in_edges:size() end
function BasicBlock:add_out_edge(to) self.out_edges:append(to) end
function BasicBlock:add_in_edge(from) self.in_edges:append(from) end
function BasicBlock:custom_hash() return self.name end

local ControlFlowGraph = som.class()
function ControlFlowGraph.new()
  return setmetatable({basic_block_map = Vector.new(), start_node = false, edge_list = Vector.new()},
    ControlFlowGraph)
end
function ControlFlowGraph:create_node(name)
  local node
  if self.basic_block_map:at(name + 1) then
    node = self.basic_block_map:at(name + 1)
  else
    node = BasicBlock.new(name)
    self.basic_block_map:at_put(name + 1, node)
  end
  if self:num_nodes() == 1 then self.start_node = node end
  return node
end
function ControlFlowGraph:add_edge(edge) self.edge_list:append(edge) end
function ControlFlowGraph:num_nodes() return self.basic_block_map:size() end

local function new_edge(cfg, from_name, to_name)
  local from = cfg:create_node(from_name)
  local to = cfg:create_node(to_name)
  from:add_out_edge(to)
  to:add_in_edge(from)
  local edge = {from = from, to = to}
  cfg:add_edge(edge)
  return edge
end

-- ---- the loop structure graph ----
local SimpleLoop = som.class()
function SimpleLoop.new(bb, is_reducible)
  local loop = setmetatable({basic_blocks = IdentitySet.new(), children = IdentitySet.new(), parent = false,
    header = bb, is_reducible = is_reducible, is_root = false, nesting_level = 0, counter = 0,
    depth_level = 0}, SimpleLoop)
  if bb then loop.basic_blocks:add(bb) end
  return loop
end
function SimpleLoop:add_node(bb) self.basic_blocks:add(bb) end
function SimpleLoop:add_child_loop(loop) self.children:add(loop) end
function SimpleLoop:set_parent(p)
  self.parent = p
  p:add_child_loop(self)
end
function SimpleLoop:set_nesting_level(level)
  self.nesting_level = level
  if level == 0 then self.is_root = true end
end

local LoopStructureGraph = som.class()
function LoopStructureGraph.new()
  local lsg = setmetatable({loops = Vector.new(), loop_counter = 0}, LoopStructureGraph)
  lsg.root = SimpleLoop.new(false, true)
  lsg.root:set_nesting_level(0)
  lsg.root.counter = lsg.loop_counter
  lsg.loop_counter = lsg.loop_counter + 1
  lsg.loops:append(lsg.root)
  return lsg
end
function LoopStructureGraph:create_new_loop(bb, is_reducible)
  local loop = SimpleLoop.new(bb, is_reducible)
  loop.counter = self.loop_counter
  self.loop_counter = self.loop_counter + 1
  self.loops:append(loop)
  return loop
end
function LoopStructureGraph:calculate_nesting_level()
  -- Link up all first-level loops to the artificial root.
  self.loops:each(function(liter)
    if not liter.is_root and not liter.parent then liter:set_parent(self.root) end
  end)
  self:calculate_nesting_level_rec(self.root, 0)
end
function LoopStructureGraph:calculate_nesting_level_rec(loop, depth)
  loop.depth_level = depth
  loop.children:each(function(liter)
    self:calculate_nesting_level_rec(liter, depth + 1)
    loop:set_nesting_level(math.max(loop.nesting_level, 1 + liter.nesting_level))
  end)
end
function LoopStructureGraph:num_loops() return self.loops:size() end

-- ---- union/find ----
local UnionFindNode = som.class()
function UnionFindNode.new()
  return setmetatable({parent = false, bb = false, loop = false, dfs_number = 0}, UnionFindNode)
end
function UnionFindNode:init_node(bb, dfs_number)
  self.parent = self
  self.bb = bb
  self.dfs_number = dfs_number
  self.loop = false
end
-- Find with path compression (as in the suite: the collected nodes are pointed at
-- this node's parent).
function UnionFindNode:find_set()
  local node_list = Vector.new()
  local node = self
  while node ~= node.parent do
    if node.parent ~= node.parent.parent then node_list:append(node) end
    node = node.parent
  end
  local parent = self.parent
  node_list:each(function(iter) iter:union(parent) end)
  return node
end
function UnionFindNode:union(basic_block) self.parent = basic_block end

-- ---- the loop finder ----
-- BasicBlockClass
local BB_TOP, BB_NONHEADER, BB_REDUCIBLE, BB_SELF, BB_IRREDUCIBLE, BB_DEAD, BB_LAST = 0, 1, 2, 3, 4, 5, 6
local UNVISITED = 2147483647
local MAXNONBACKPREDS = 32 * 1024

local HavlakLoopFinder = som.class()
function HavlakLoopFinder.new(cfg, lsg)
  return setmetatable({cfg = cfg, lsg = lsg, non_back_preds = Vector.new(), back_preds = Vector.new(),
    number = IdentityDictionary.new(), max_size = 0, header = false, type = false, last = false,
    nodes = false}, HavlakLoopFinder)
end
-- Is w an ancestor of v in the DFS spanning tree (preorder numbering)?
function HavlakLoopFinder:is_ancestor(w, v) return w <= v and v <= self.last[w] end
function HavlakLoopFinder:do_dfs(current_node, current)
  self.nodes[current]:init_node(current_node, current)
  self.number:at_put(current_node, current)
  local last_id = current
  local outer_blocks = current_node.out_edges
  for i = 1, outer_blocks:size() do
    local target = outer_blocks:at(i)
    if self.number:at(target) == UNVISITED then last_id = self:do_dfs(target, last_id + 1) end
  end
  self.last[current] = last_id
  return last_id
end
function HavlakLoopFinder:init_all_nodes()
  local number = self.number
  self.cfg.basic_block_map:each(function(bb) number:at_put(bb, UNVISITED) end)
  self:do_dfs(self.cfg.start_node, 0)
end
function HavlakLoopFinder:identify_edges(size)
  for w = 0, size - 1 do
    self.header[w] = 0
    self.type[w] = BB_NONHEADER
    local node_w = self.nodes[w].bb
    if not node_w then
      self.type[w] = BB_DEAD
    else
      self:process_edges(node_w, w)
    end
  end
end
function HavlakLoopFinder:process_edges(node_w, w)
  if node_w:num_pred() > 0 then
    node_w.in_edges:each(function(node_v)
      local v = self.number:at(node_v)
      if v ~= UNVISITED then
        if self:is_ancestor(w, v) then
          self.back_preds:at(w + 1):append(v)
        else
          self.non_back_preds:at(w + 1):add(v)
        end
      end
    end)
  end
end
function HavlakLoopFinder:find_loops()
  if not self.cfg.start_node then return end
  local size = self.cfg:num_nodes()
  self.non_back_preds:remove_all()
  self.back_preds:remove_all()
  self.number:remove_all()
  if size > self.max_size then
    self.header, self.type, self.last, self.nodes = {}, {}, {}, {}
    self.max_size = size
  end
  for i = 0, size - 1 do
    self.non_back_preds:append(Set.new())
    self.back_preds:append(Vector.new())
    self.nodes[i] = UnionFindNode.new()
  end

  self:init_all_nodes()
  self:identify_edges(size)

  -- The start node is the root of all other loops.
  self.header[0] = 0

  -- Step c: visit the nodes in reverse DFS preorder, so inner loop headers are
  -- processed before their enclosing loops' headers.
  for w = size - 1, 0, -1 do
    local node_pool = Vector.new()   -- 'P' in Havlak's paper
    local node_w = self.nodes[w].bb
    if node_w then
      self:step_d(w, node_pool)

      local work_list = Vector.new()
      node_pool:each(function(niter) work_list:append(niter) end)

      if node_pool:size() ~= 0 then self.type[w] = BB_REDUCIBLE end

      while not work_list:is_empty() do
        local x = work_list:remove_first()
        -- Step e: a node that is no descendant of w makes w the header of an
        -- irreducible loop. Give up when the algorithm degenerates.
        local non_back_size = self.non_back_preds:at(x.dfs_number + 1):size()
        if non_back_size > MAXNONBACKPREDS then return end
        self:step_e_process_non_back_preds(w, node_pool, work_list, x)
      end

      -- Collapse the nodes of each SCC into one node, with a loop descriptor.
      if node_pool:size() > 0 or self.type[w] == BB_SELF then
        local loop = self.lsg:create_new_loop(node_w, self.type[w] ~= BB_IRREDUCIBLE)
        self:set_loop_attributes(w, node_pool, loop)
      end
    end
  end
end
function HavlakLoopFinder:step_e_process_non_back_preds(w, node_pool, work_list, x)
  self.non_back_preds:at(x.dfs_number + 1):each(function(iter)
    local y = self.nodes[iter]
    local ydash = y:find_set()
    if not self:is_ancestor(w, ydash.dfs_number) then
      self.type[w] = BB_IRREDUCIBLE
      self.non_back_preds:at(w + 1):add(ydash.dfs_number)
    elseif ydash.dfs_number ~= w then
      if not node_pool:has_some(function(e) return e == ydash end) then
        work_list:append(ydash)
        node_pool:append(ydash)
      end
    end
  end)
end
function HavlakLoopFinder:set_loop_attributes(w, node_pool, loop)
  self.nodes[w].loop = loop
  node_pool:each(function(node)
    self.header[node.dfs_number] = w
    node:union(self.nodes[w])
    -- Nested loops are linked, not added.
    if node.loop then
      node.loop:set_parent(loop)
    else
      loop:add_node(node.bb)
    end
  end)
end
function HavlakLoopFinder:step_d(w, node_pool)
  self.back_preds:at(w + 1):each(function(v)
    if v ~= w then
      node_pool:append(self.nodes[v]:find_set())
    else
      self.type[w] = BB_SELF
    end
  end)
end

-- ---- the tester: builds the CFG and finds its loops ----
local LoopTesterApp = som.class()
function LoopTesterApp.new()
  local app = setmetatable({cfg = ControlFlowGraph.new(), lsg = LoopStructureGraph.new()}, LoopTesterApp)
  app.cfg:create_node(0)
  return app
end
-- Four blocks forming an if/then/else diamond.
function LoopTesterApp:build_diamond(start)
  local bb0 = start
  new_edge(self.cfg, bb0, bb0 + 1)
  new_edge(self.cfg, bb0, bb0 + 2)
  new_edge(self.cfg, bb0 + 1, bb0 + 3)
  new_edge(self.cfg, bb0 + 2, bb0 + 3)
  return bb0 + 3
end
function LoopTesterApp:build_connect(start, finish) new_edge(self.cfg, start, finish) end
function LoopTesterApp:build_straight(start, n)
  for i = 0, n - 1 do self:build_connect(start + i, start + i + 1) end
  return start + n
end
-- A simple loop with two diamonds in it.
function LoopTesterApp:build_base_loop(from)
  local header = self:build_straight(from, 1)
  local diamond1 = self:build_diamond(header)
  local d11 = self:build_straight(diamond1, 1)
  local diamond2 = self:build_diamond(d11)
  local footer = self:build_straight(diamond2, 1)
  self:build_connect(diamond2, d11)
  self:build_connect(diamond1, header)
  self:build_connect(footer, from)
  footer = self:build_straight(footer, 1)
  return footer
end
function LoopTesterApp:main(num_dummy_loops, find_loop_iterations, par_loops, ppar_loops, pppar_loops)
  self:construct_simple_cfg()
  self:add_dummy_loops(num_dummy_loops)
  self:construct_cfg(par_loops, ppar_loops, pppar_loops)
  self:find_loops(self.lsg)
  for _ = 1, find_loop_iterations do self:find_loops(LoopStructureGraph.new()) end
  self.lsg:calculate_nesting_level()
  return {self.lsg:num_loops(), self.cfg:num_nodes()}
end
function LoopTesterApp:construct_cfg(par_loops, ppar_loops, pppar_loops)
  local n = 2
  for _ = 1, par_loops do
    self.cfg:create_node(n + 1)
    self:build_connect(2, n + 1)
    n = n + 1
    for _ = 1, ppar_loops do
      local top = n
      n = self:build_straight(n, 1)
      for _ = 1, pppar_loops do n = self:build_base_loop(n) end
      local bottom = self:build_straight(n, 1)
      self:build_connect(n, top)
      n = bottom
    end
    self:build_connect(n, 1)
  end
end
function LoopTesterApp:add_dummy_loops(num_dummy_loops)
  for _ = 1, num_dummy_loops do self:find_loops(self.lsg) end
end
function LoopTesterApp:find_loops(loop_structure)
  HavlakLoopFinder.new(self.cfg, loop_structure):find_loops()
end
function LoopTesterApp:construct_simple_cfg()
  self.cfg:create_node(0)
  self:build_base_loop(0)
  self.cfg:create_node(1)
  new_edge(self.cfg, 0, 2)
end

local EXPECTED = {[15000] = 46602, [1500] = 6102, [150] = 2052, [15] = 1647, [1] = 1605}

local Havlak = {}
function Havlak:inner_benchmark_loop(inner_iterations)
  local r = LoopTesterApp.new():main(inner_iterations, 50, 10, 10, 5)
  local loops = EXPECTED[inner_iterations]
  if not loops then
    print("No verification result for " .. inner_iterations .. " found")
    print("Result is: " .. r[1] .. ", " .. r[2])
    return false
  end
  return r[1] == loops and r[2] == 5213
end
return Havlak
