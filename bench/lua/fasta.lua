-- Benchmarks Game fasta; the output goes to a checksum sink (see bench/c/fasta.c).
local IM, IA, IC, LINE = 139968, 3877, 29573, 60
local ALU = "GGCCGGGCGCGGTGGCTCACGCCTGTAATCCCAGCACTTTGG" ..
  "GAGGCCGAGGCGGGCGGATCACCTGAGGTCAGGAGTTCGAGA" ..
  "CCAGCCTGGCCAACATGGTGAAACCCCGTCTCTACTAAAAAT" ..
  "ACAAAAATTAGCCGGGCGTGGTGGCGCGCGCCTGTAATCCCA" ..
  "GCTACTCGGGAGGCTGAGGCAGGAGAATCGCTTGAACCCGGG" ..
  "AGGCGGAGGTTGCAGTGAGCCGAGATCGCGCCACTGCACTCC" ..
  "AGCCTGGGCGACAGAGCGAGACTCCGTCTCAAAAA"
local byte = string.byte
local Sink = {}
Sink.__index = Sink
function Sink:line(buf, len)
  local s = 0
  for i = 1, len do s = s + buf[i] end
  self.sum = (self.sum * 31 + s + 10) % 1000000007
  self.bytes = self.bytes + len + 1
end
function Sink:text(t)
  local s = 0
  for i = 1, #t do s = s + byte(t, i) end
  self.sum = (self.sum * 31 + s + 10) % 1000000007
  self.bytes = self.bytes + #t + 1
end
local last = 42
local function random(max)
  last = (last * IA + IC) % IM
  return max * last / IM
end
local function repeat_fasta(header, alu, n, out)
  out:text(header)
  local buf, k, pos, todo = {}, #alu, 1, n
  while todo > 0 do
    local m = todo < LINE and todo or LINE
    for i = 1, m do
      buf[i] = byte(alu, pos)
      pos = pos + 1
      if pos > k then pos = 1 end
    end
    out:line(buf, m)
    todo = todo - m
  end
end
local function random_fasta(header, chars, probs, n, out)
  out:text(header)
  local cum, acc = {}, 0.0
  for i = 1, #probs do acc = acc + probs[i]; cum[i] = acc end
  local buf, todo, nc = {}, n, #cum
  while todo > 0 do
    local m = todo < LINE and todo or LINE
    for i = 1, m do
      local r = random(1.0)
      local j = 1
      while cum[j] < r and j < nc do j = j + 1 end
      buf[i] = byte(chars, j)
    end
    out:line(buf, m)
    todo = todo - m
  end
end
local Fasta = {}
function Fasta:inner_benchmark_loop(n)
  last = 42
  local out = setmetatable({sum = 0, bytes = 0}, Sink)
  repeat_fasta(">ONE Homo sapiens alu", ALU, 2 * n, out)
  random_fasta(">TWO IUB ambiguity codes", "acgtBDHKMNRSVWY",
    {0.27, 0.12, 0.12, 0.27, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02, 0.02}, 3 * n, out)
  random_fasta(">THREE Homo sapiens frequency", "acgt",
    {0.3029549426680, 0.1979883004921, 0.1975473066391, 0.3015094502008}, 5 * n, out)
  if n == 1000 then return out.sum == 60281910 and out.bytes == 10245 end
  if n == 25000 then return out.sum == 922466686 and out.bytes == 254245 end
  if n == 250000 then return out.sum == 928422222 and out.bytes == 2541745 end
  print("No verification result for " .. n .. ": " .. out.sum .. " " .. out.bytes)
  return false
end
return Fasta
