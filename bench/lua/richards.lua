-- AWFY Richards with the task functions as closures.
local som = require("som")
local band, bxor = som.band, som.bxor
local IDLER, WORKER, HANDLER_A, HANDLER_B, DEVICE_A, DEVICE_B = 0, 1, 2, 3, 4, 5
local DEVICE_PACKET_KIND, WORK_PACKET_KIND, DATA_SIZE = 0, 1, 4
local NO_WORK, NO_TASK = false, false

local function append(packet, queue_head)
  packet.link = NO_WORK
  if not queue_head then return packet end
  local mouse = queue_head
  local link = mouse.link
  while link do mouse = link; link = mouse.link end
  mouse.link = packet
  return queue_head
end

local function new_packet(link, identity, kind)
  return {link = link, identity = identity, kind = kind, datum = 0, data = {0, 0, 0, 0}}
end

local TCB = som.class()
function TCB.new(link, identity, priority, initial_work_queue, initial_state, fn, private_data)
  return setmetatable({link = link, identity = identity, priority = priority, input = initial_work_queue,
    packet_pending = initial_state.packet_pending, task_waiting = initial_state.task_waiting,
    task_holding = initial_state.task_holding, fn = fn, handle = private_data}, TCB)
end
function TCB:is_task_holding_or_waiting() return self.task_holding or (not self.packet_pending and self.task_waiting) end
function TCB:is_waiting_with_packet() return self.packet_pending and self.task_waiting and not self.task_holding end
function TCB:add_input_and_check_priority(packet, old_task)
  if not self.input then
    self.input = packet
    self.packet_pending = true
    if self.priority > old_task.priority then return self end
  else
    self.input = append(packet, self.input)
  end
  return old_task
end
function TCB:run_task()
  local message
  if self:is_waiting_with_packet() then
    message = self.input
    self.input = message.link
    if not self.input then
      self.packet_pending = false; self.task_waiting = false; self.task_holding = false
    else
      self.packet_pending = true; self.task_waiting = false; self.task_holding = false
    end
  else
    message = NO_WORK
  end
  return self.fn(message, self.handle)
end

local function state(pp, tw, th) return {packet_pending = pp, task_waiting = tw, task_holding = th} end
local function create_running() return state(false, false, false) end
local function create_waiting() return state(false, true, false) end
local function create_waiting_with_packet() return state(true, true, false) end

local Scheduler = som.class()
function Scheduler.new()
  return setmetatable({task_list = NO_TASK, current_task = NO_TASK, current_task_identity = 0,
    task_table = {[0] = NO_TASK, NO_TASK, NO_TASK, NO_TASK, NO_TASK, NO_TASK},
    hold_count = 0, queue_packet_count = 0}, Scheduler)
end
function Scheduler:create_task(identity, priority, work, st, fn, data)
  local t = TCB.new(self.task_list, identity, priority, work, st, fn, data)
  self.task_list = t
  self.task_table[identity] = t
end
function Scheduler:create_device(identity, priority, work_packet, st)
  self:create_task(identity, priority, work_packet, st, function(work, data_record)
    local function_work = work
    if not function_work then
      function_work = data_record.pending
      if not function_work then return self:wait_task() end
      data_record.pending = NO_WORK
      return self:queue_packet(function_work)
    end
    data_record.pending = function_work
    return self:hold_self()
  end, {pending = NO_WORK})
end
function Scheduler:create_handler(identity, priority, work_packet, st)
  self:create_task(identity, priority, work_packet, st, function(work, data_record)
    if work then
      if WORK_PACKET_KIND == work.kind then
        data_record.work_in = append(work, data_record.work_in)
      else
        data_record.device_in = append(work, data_record.device_in)
      end
    end
    local wp = data_record.work_in
    if not wp then return self:wait_task() end
    local count = wp.datum
    if count >= DATA_SIZE then
      data_record.work_in = wp.link
      return self:queue_packet(wp)
    end
    local device_packet = data_record.device_in
    if not device_packet then return self:wait_task() end
    data_record.device_in = device_packet.link
    device_packet.datum = wp.data[count + 1]
    wp.datum = count + 1
    return self:queue_packet(device_packet)
  end, {work_in = NO_WORK, device_in = NO_WORK})
end
function Scheduler:create_idler(identity, priority, work, st)
  self:create_task(identity, priority, work, st, function(_, data_record)
    data_record.count = data_record.count - 1
    if 0 == data_record.count then return self:hold_self() end
    if 0 == band(data_record.control, 1) then
      data_record.control = math.floor(data_record.control / 2)
      return self:release(DEVICE_A)
    end
    data_record.control = bxor(math.floor(data_record.control / 2), 53256)
    return self:release(DEVICE_B)
  end, {control = 1, count = 10000})
end
function Scheduler:create_worker(identity, priority, work_packet, st)
  self:create_task(identity, priority, work_packet, st, function(work, data)
    if not work then return self:wait_task() end
    if HANDLER_A == data.destination then data.destination = HANDLER_B else data.destination = HANDLER_A end
    work.identity = data.destination
    work.datum = 0
    for i = 1, DATA_SIZE do
      data.count = data.count + 1
      if data.count > 26 then data.count = 1 end
      work.data[i] = 65 + data.count - 1
    end
    return self:queue_packet(work)
  end, {destination = HANDLER_A, count = 0})
end
function Scheduler:start()
  self:create_idler(IDLER, 0, NO_WORK, create_running())
  local wq = new_packet(NO_WORK, WORKER, WORK_PACKET_KIND)
  wq = new_packet(wq, WORKER, WORK_PACKET_KIND)
  self:create_worker(WORKER, 1000, wq, create_waiting_with_packet())
  wq = new_packet(NO_WORK, DEVICE_A, DEVICE_PACKET_KIND)
  wq = new_packet(wq, DEVICE_A, DEVICE_PACKET_KIND)
  wq = new_packet(wq, DEVICE_A, DEVICE_PACKET_KIND)
  self:create_handler(HANDLER_A, 2000, wq, create_waiting_with_packet())
  wq = new_packet(NO_WORK, DEVICE_B, DEVICE_PACKET_KIND)
  wq = new_packet(wq, DEVICE_B, DEVICE_PACKET_KIND)
  wq = new_packet(wq, DEVICE_B, DEVICE_PACKET_KIND)
  self:create_handler(HANDLER_B, 3000, wq, create_waiting_with_packet())
  self:create_device(DEVICE_A, 4000, NO_WORK, create_waiting())
  self:create_device(DEVICE_B, 5000, NO_WORK, create_waiting())
  self:schedule()
  return self.queue_packet_count == 23246 and self.hold_count == 9297
end
function Scheduler:find_task(identity)
  local t = self.task_table[identity]
  if not t then error("findTask failed") end
  return t
end
function Scheduler:hold_self()
  self.hold_count = self.hold_count + 1
  self.current_task.task_holding = true
  return self.current_task.link
end
function Scheduler:queue_packet(packet)
  local t = self:find_task(packet.identity)
  self.queue_packet_count = self.queue_packet_count + 1
  packet.link = NO_WORK
  packet.identity = self.current_task_identity
  return t:add_input_and_check_priority(packet, self.current_task)
end
function Scheduler:release(identity)
  local t = self:find_task(identity)
  t.task_holding = false
  if t.priority > self.current_task.priority then return t end
  return self.current_task
end
function Scheduler:schedule()
  self.current_task = self.task_list
  while self.current_task do
    if self.current_task:is_task_holding_or_waiting() then
      self.current_task = self.current_task.link
    else
      self.current_task_identity = self.current_task.identity
      self.current_task = self.current_task:run_task()
    end
  end
end
function Scheduler:wait_task()
  self.current_task.task_waiting = true
  return self.current_task
end

local Richards = {inner_benchmark_loop = som.inner_benchmark_loop}
function Richards:benchmark() return Scheduler.new():start() end
function Richards:verify_result(r) return r end
return Richards
