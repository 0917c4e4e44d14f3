// AWFY Havlak: loop recognition (Havlak's algorithm, from Robert Hundt's loop
// recognition tester) on a synthetic control-flow graph, with the suite's Vector,
// Set, IdentitySet and IdentityDictionary. The inner size is the number of dummy
// loop searches; the suite knows the result for 15000, 1500, 150, 15 and 1.
public final class Havlak extends Benchmark {
  @Override public boolean innerBenchmarkLoop(final int innerIterations) {
    return verify(new LoopTesterApp().main(innerIterations, 50, 10, 10, 5), innerIterations);
  }

  boolean verify(final int[] r, final int innerIterations) {
    if (innerIterations == 15000) { return r[0] == 46602 && r[1] == 5213; }
    if (innerIterations == 1500) { return r[0] == 6102 && r[1] == 5213; }
    if (innerIterations == 150) { return r[0] == 2052 && r[1] == 5213; }
    if (innerIterations == 15) { return r[0] == 1647 && r[1] == 5213; }
    if (innerIterations == 1) { return r[0] == 1605 && r[1] == 5213; }
    System.out.println("No verification result for " + innerIterations + " found");
    System.out.println("Result is: " + r[0] + ", " + r[1]);
    return false;
  }

  @Override public Object benchmark() { throw new RuntimeException("should never be reached"); }
  @Override public boolean verifyResult(final Object result) { throw new RuntimeException("should never be reached"); }

  // ---- the control-flow graph ----
  static final class BasicBlock implements Dictionary.CustomHash {
    final Vector<BasicBlock> inEdges = new Vector<>(2);
    final Vector<BasicBlock> outEdges = new Vector<>(2);
    final int name;
    BasicBlock(final int name) { this.name = name; }
    int getNumPred() { return inEdges.size(); }
    void addOutEdge(final BasicBlock to) { outEdges.append(to); }
    void addInEdge(final BasicBlock from) { inEdges.append(from); }
    @Override public int customHash() { return name; }
  }

  static final class BasicBlockEdge {
    final BasicBlock from, to;
    BasicBlockEdge(final ControlFlowGraph cfg, final int fromName, final int toName) {
      from = cfg.createNode(fromName);
      to = cfg.createNode(toName);
      from.addOutEdge(to);
      to.addInEdge(from);
      cfg.addEdge(this);
    }
  }

  static final class ControlFlowGraph {
    final Vector<BasicBlock> basicBlockMap = new Vector<>();
    BasicBlock startNode;
    final Vector<BasicBlockEdge> edgeList = new Vector<>();

    BasicBlock createNode(final int name) {
      BasicBlock node;
      if (basicBlockMap.at(name) != null) {
        node = basicBlockMap.at(name);
      } else {
        node = new BasicBlock(name);
        basicBlockMap.atPut(name, node);
      }
      if (getNumNodes() == 1) { startNode = node; }
      return node;
    }

    void addEdge(final BasicBlockEdge edge) { edgeList.append(edge); }
    int getNumNodes() { return basicBlockMap.size(); }
    BasicBlock getStartBasicBlock() { return startNode; }
    Vector<BasicBlock> getBasicBlocks() { return basicBlockMap; }
  }

  // ---- the loop structure graph ----
  static final class SimpleLoop {
    final IdentitySet<BasicBlock> basicBlocks = new IdentitySet<>();
    final IdentitySet<SimpleLoop> children = new IdentitySet<>();
    SimpleLoop parent;
    final BasicBlock header;
    final boolean isReducible;
    boolean isRoot;
    int nestingLevel, counter, depthLevel;

    SimpleLoop(final BasicBlock bb, final boolean isReducible) {
      this.isReducible = isReducible;
      if (bb != null) { basicBlocks.add(bb); }
      header = bb;
    }

    void addNode(final BasicBlock bb) { basicBlocks.add(bb); }
    void addChildLoop(final SimpleLoop loop) { children.add(loop); }
    void setParent(final SimpleLoop p) {
      parent = p;
      p.addChildLoop(this);
    }
    void setNestingLevel(final int level) {
      nestingLevel = level;
      if (level == 0) { isRoot = true; }
    }
  }

  static final class LoopStructureGraph {
    final SimpleLoop root;
    final Vector<SimpleLoop> loops = new Vector<>();
    int loopCounter;

    LoopStructureGraph() {
      root = new SimpleLoop(null, true);
      root.setNestingLevel(0);
      root.counter = loopCounter;
      loopCounter += 1;
      loops.append(root);
    }

    SimpleLoop createNewLoop(final BasicBlock bb, final boolean isReducible) {
      final SimpleLoop loop = new SimpleLoop(bb, isReducible);
      loop.counter = loopCounter;
      loopCounter += 1;
      loops.append(loop);
      return loop;
    }

    void calculateNestingLevel() {
      // Link up all first-level loops to the artificial root.
      loops.forEach(liter -> {
        if (!liter.isRoot && liter.parent == null) { liter.setParent(root); }
      });
      calculateNestingLevelRec(root, 0);
    }

    private void calculateNestingLevelRec(final SimpleLoop loop, final int depth) {
      loop.depthLevel = depth;
      loop.children.forEach(liter -> {
        calculateNestingLevelRec(liter, depth + 1);
        loop.setNestingLevel(Math.max(loop.nestingLevel, 1 + liter.nestingLevel));
      });
    }

    int getNumLoops() { return loops.size(); }
  }

  // ---- union/find ----
  static final class UnionFindNode {
    UnionFindNode parent;
    BasicBlock bb;
    SimpleLoop loop;
    int dfsNumber;

    void initNode(final BasicBlock bb, final int dfsNumber) {
      parent = this;
      this.bb = bb;
      this.dfsNumber = dfsNumber;
      loop = null;
    }

    // Find with path compression (as in the suite: the collected nodes are pointed
    // at this node's parent).
    UnionFindNode findSet() {
      final Vector<UnionFindNode> nodeList = new Vector<>();
      UnionFindNode node = this;
      while (node != node.parent) {
        if (node.parent != node.parent.parent) { nodeList.append(node); }
        node = node.parent;
      }
      nodeList.forEach(iter -> iter.union(parent));
      return node;
    }

    void union(final UnionFindNode basicBlock) { parent = basicBlock; }
  }

  // ---- the loop finder ----
  enum BasicBlockClass { BB_TOP, BB_NONHEADER, BB_REDUCIBLE, BB_SELF, BB_IRREDUCIBLE, BB_DEAD, BB_LAST }

  static final int UNVISITED = Integer.MAX_VALUE;
  static final int MAXNONBACKPREDS = 32 * 1024;

  static final class HavlakLoopFinder {
    final ControlFlowGraph cfg;
    final LoopStructureGraph lsg;
    final Vector<Set<Integer>> nonBackPreds = new Vector<>();
    final Vector<Vector<Integer>> backPreds = new Vector<>();
    final IdentityDictionary<BasicBlock, Integer> number = new IdentityDictionary<>();
    int maxSize;
    int[] header;
    BasicBlockClass[] type;
    int[] last;
    UnionFindNode[] nodes;

    HavlakLoopFinder(final ControlFlowGraph cfg, final LoopStructureGraph lsg) {
      this.cfg = cfg;
      this.lsg = lsg;
    }

    // Is w an ancestor of v in the DFS spanning tree (preorder numbering)?
    private boolean isAncestor(final int w, final int v) { return w <= v && v <= last[w]; }

    private int doDFS(final BasicBlock currentNode, final int current) {
      nodes[current].initNode(currentNode, current);
      number.atPut(currentNode, current);
      int lastId = current;
      final Vector<BasicBlock> outerBlocks = currentNode.outEdges;
      for (int i = 0; i < outerBlocks.size(); i++) {
        final BasicBlock target = outerBlocks.at(i);
        if (number.at(target) == UNVISITED) { lastId = doDFS(target, lastId + 1); }
      }
      last[current] = lastId;
      return lastId;
    }

    private void initAllNodes() {
      cfg.getBasicBlocks().forEach(bb -> number.atPut(bb, UNVISITED));
      doDFS(cfg.getStartBasicBlock(), 0);
    }

    private void identifyEdges(final int size) {
      for (int w = 0; w < size; w++) {
        header[w] = 0;
        type[w] = BasicBlockClass.BB_NONHEADER;
        final BasicBlock nodeW = nodes[w].bb;
        if (nodeW == null) {
          type[w] = BasicBlockClass.BB_DEAD;
        } else {
          processEdges(nodeW, w);
        }
      }
    }

    private void processEdges(final BasicBlock nodeW, final int w) {
      if (nodeW.getNumPred() > 0) {
        nodeW.inEdges.forEach(nodeV -> {
          final int v = number.at(nodeV);
          if (v != UNVISITED) {
            if (isAncestor(w, v)) {
              backPreds.at(w).append(v);
            } else {
              nonBackPreds.at(w).add(v);
            }
          }
        });
      }
    }

    void findLoops() {
      if (cfg.getStartBasicBlock() == null) { return; }
      final int size = cfg.getNumNodes();
      nonBackPreds.removeAll();
      backPreds.removeAll();
      number.removeAll();
      if (size > maxSize) {
        header = new int[size];
        type = new BasicBlockClass[size];
        last = new int[size];
        nodes = new UnionFindNode[size];
        maxSize = size;
      }
      for (int i = 0; i < size; i++) {
        nonBackPreds.append(new Set<>());
        backPreds.append(new Vector<>());
        nodes[i] = new UnionFindNode();
      }

      initAllNodes();
      identifyEdges(size);

      // The start node is the root of all other loops.
      header[0] = 0;

      // Step c: visit the nodes in reverse DFS preorder, so inner loop headers are
      // processed before their enclosing loops' headers.
      for (int w = size - 1; w >= 0; w--) {
        final Vector<UnionFindNode> nodePool = new Vector<>();   // 'P' in Havlak's paper
        final BasicBlock nodeW = nodes[w].bb;
        if (nodeW != null) {
          stepD(w, nodePool);

          final Vector<UnionFindNode> workList = new Vector<>();
          nodePool.forEach(niter -> workList.append(niter));

          if (nodePool.size() != 0) { type[w] = BasicBlockClass.BB_REDUCIBLE; }

          while (!workList.isEmpty()) {
            final UnionFindNode x = workList.removeFirst();
            // Step e: a node that is no descendant of w makes w the header of an
            // irreducible loop. Give up when the algorithm degenerates.
            final int nonBackSize = nonBackPreds.at(x.dfsNumber).size();
            if (nonBackSize > MAXNONBACKPREDS) { return; }
            stepEProcessNonBackPreds(w, nodePool, workList, x);
          }

          // Collapse the nodes of each SCC into one node, with a loop descriptor.
          if (nodePool.size() > 0 || type[w] == BasicBlockClass.BB_SELF) {
            final SimpleLoop loop = lsg.createNewLoop(nodeW, type[w] != BasicBlockClass.BB_IRREDUCIBLE);
            setLoopAttributes(w, nodePool, loop);
          }
        }
      }
    }

    private void stepEProcessNonBackPreds(final int w, final Vector<UnionFindNode> nodePool,
        final Vector<UnionFindNode> workList, final UnionFindNode x) {
      nonBackPreds.at(x.dfsNumber).forEach(iter -> {
        final UnionFindNode y = nodes[iter];
        final UnionFindNode ydash = y.findSet();
        if (!isAncestor(w, ydash.dfsNumber)) {
          type[w] = BasicBlockClass.BB_IRREDUCIBLE;
          nonBackPreds.at(w).add(ydash.dfsNumber);
        } else if (ydash.dfsNumber != w) {
          if (!nodePool.hasSome(e -> e == ydash)) {
            workList.append(ydash);
            nodePool.append(ydash);
          }
        }
      });
    }

    private void setLoopAttributes(final int w, final Vector<UnionFindNode> nodePool, final SimpleLoop loop) {
      nodes[w].loop = loop;
      nodePool.forEach(node -> {
        header[node.dfsNumber] = w;
        node.union(nodes[w]);
        // Nested loops are linked, not added.
        if (node.loop != null) {
          node.loop.setParent(loop);
        } else {
          loop.addNode(node.bb);
        }
      });
    }

    private void stepD(final int w, final Vector<UnionFindNode> nodePool) {
      backPreds.at(w).forEach(v -> {
        if (v != w) {
          nodePool.append(nodes[v].findSet());
        } else {
          type[w] = BasicBlockClass.BB_SELF;
        }
      });
    }
  }

  // ---- the tester: builds the CFG and finds its loops ----
  static final class LoopTesterApp {
    final ControlFlowGraph cfg = new ControlFlowGraph();
    final LoopStructureGraph lsg = new LoopStructureGraph();

    LoopTesterApp() { cfg.createNode(0); }

    // Four blocks forming an if/then/else diamond.
    private int buildDiamond(final int start) {
      final int bb0 = start;
      new BasicBlockEdge(cfg, bb0, bb0 + 1);
      new BasicBlockEdge(cfg, bb0, bb0 + 2);
      new BasicBlockEdge(cfg, bb0 + 1, bb0 + 3);
      new BasicBlockEdge(cfg, bb0 + 2, bb0 + 3);
      return bb0 + 3;
    }

    private void buildConnect(final int start, final int end) { new BasicBlockEdge(cfg, start, end); }

    private int buildStraight(final int start, final int n) {
      for (int i = 0; i < n; i++) { buildConnect(start + i, start + i + 1); }
      return start + n;
    }

    // A simple loop with two diamonds in it.
    private int buildBaseLoop(final int from) {
      final int header = buildStraight(from, 1);
      final int diamond1 = buildDiamond(header);
      final int d11 = buildStraight(diamond1, 1);
      final int diamond2 = buildDiamond(d11);
      int footer = buildStraight(diamond2, 1);
      buildConnect(diamond2, d11);
      buildConnect(diamond1, header);
      buildConnect(footer, from);
      footer = buildStraight(footer, 1);
      return footer;
    }

    int[] main(final int numDummyLoops, final int findLoopIterations, final int parLoops,
        final int pparLoops, final int ppparLoops) {
      constructSimpleCFG();
      addDummyLoops(numDummyLoops);
      constructCFG(parLoops, pparLoops, ppparLoops);
      findLoops(lsg);
      for (int i = 0; i < findLoopIterations; i++) { findLoops(new LoopStructureGraph()); }
      lsg.calculateNestingLevel();
      return new int[] {lsg.getNumLoops(), cfg.getNumNodes()};
    }

    private void constructCFG(final int parLoops, final int pparLoops, final int ppparLoops) {
      int n = 2;
      for (int parlooptrees = 0; parlooptrees < parLoops; parlooptrees++) {
        cfg.createNode(n + 1);
        buildConnect(2, n + 1);
        n += 1;
        for (int i = 0; i < pparLoops; i++) {
          final int top = n;
          n = buildStraight(n, 1);
          for (int j = 0; j < ppparLoops; j++) { n = buildBaseLoop(n); }
          final int bottom = buildStraight(n, 1);
          buildConnect(n, top);
          n = bottom;
        }
        buildConnect(n, 1);
      }
    }

    private void addDummyLoops(final int numDummyLoops) {
      for (int i = 0; i < numDummyLoops; i++) { findLoops(lsg); }
    }

    private void findLoops(final LoopStructureGraph loopStructure) {
      new HavlakLoopFinder(cfg, loopStructure).findLoops();
    }

    private void constructSimpleCFG() {
      cfg.createNode(0);
      buildBaseLoop(0);
      cfg.createNode(1);
      new BasicBlockEdge(cfg, 0, 2);
    }
  }
}
