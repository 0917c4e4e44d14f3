// AWFY Richards, with the task functions as lambdas (as in the suite).
public final class Richards extends Benchmark {
  @Override public Object benchmark() { return new Scheduler().start(); }
  @Override public boolean verifyResult(final Object result) { return (boolean) result; }

  static final int IDLER = 0, WORKER = 1, HANDLER_A = 2, HANDLER_B = 3, DEVICE_A = 4, DEVICE_B = 5, NUM_TYPES = 6;
  static final int DEVICE_PACKET_KIND = 0, WORK_PACKET_KIND = 1, DATA_SIZE = 4;

  interface ProcessFunction { TaskControlBlock apply(Packet work, RBObject word); }

  abstract static class RBObject {
    Packet append(final Packet packet, final Packet queueHead) {
      packet.link = null;
      if (queueHead == null) { return packet; }
      Packet mouse = queueHead, link;
      while ((link = mouse.link) != null) { mouse = link; }
      mouse.link = packet;
      return queueHead;
    }
  }
  static final class Packet extends RBObject {
    Packet link; int identity; final int kind; int datum; final int[] data = new int[DATA_SIZE];
    Packet(final Packet link, final int identity, final int kind) { this.link = link; this.identity = identity; this.kind = kind; }
  }
  static final class DeviceTaskDataRecord extends RBObject { Packet pending; }
  static final class HandlerTaskDataRecord extends RBObject {
    Packet workIn, deviceIn;
    void deviceInAdd(final Packet p) { deviceIn = append(p, deviceIn); }
    void workInAdd(final Packet p) { workIn = append(p, workIn); }
  }
  static final class IdleTaskDataRecord extends RBObject { int control = 1; int count = 10000; }
  static final class WorkerTaskDataRecord extends RBObject { int destination = HANDLER_A; int count; }

  static class TaskState extends RBObject {
    boolean packetPending, taskWaiting, taskHolding;
    TaskState packetPendingState() { packetPending = true; taskWaiting = false; taskHolding = false; return this; }
    TaskState running() { packetPending = false; taskWaiting = false; taskHolding = false; return this; }
    TaskState waiting() { packetPending = false; taskWaiting = true; taskHolding = false; return this; }
    TaskState waitingWithPacket() { packetPending = true; taskWaiting = true; taskHolding = false; return this; }
    boolean isTaskHoldingOrWaiting() { return taskHolding || (!packetPending && taskWaiting); }
    boolean isWaitingWithPacket() { return packetPending && taskWaiting && !taskHolding; }
    static TaskState createRunning() { return new TaskState().running(); }
    static TaskState createWaiting() { return new TaskState().waiting(); }
    static TaskState createWaitingWithPacket() { return new TaskState().waitingWithPacket(); }
  }
  static final class TaskControlBlock extends TaskState {
    final TaskControlBlock link; final int identity, priority; Packet input;
    final ProcessFunction function; final RBObject handle;
    TaskControlBlock(final TaskControlBlock link, final int identity, final int priority, final Packet initialWorkQueue,
        final TaskState initialState, final ProcessFunction function, final RBObject privateData) {
      this.link = link; this.identity = identity; this.priority = priority; input = initialWorkQueue;
      packetPending = initialState.packetPending; taskWaiting = initialState.taskWaiting; taskHolding = initialState.taskHolding;
      this.function = function; handle = privateData;
    }
    TaskControlBlock addInputAndCheckPriority(final Packet packet, final TaskControlBlock oldTask) {
      if (input == null) {
        input = packet; packetPending = true;
        if (priority > oldTask.priority) { return this; }
      } else { input = append(packet, input); }
      return oldTask;
    }
    TaskControlBlock runTask() {
      Packet message;
      if (isWaitingWithPacket()) {
        message = input; input = message.link;
        if (input == null) { running(); } else { packetPendingState(); }
      } else { message = null; }
      return function.apply(message, handle);
    }
  }

  static final class Scheduler extends RBObject {
    private TaskControlBlock taskList, currentTask;
    private int currentTaskIdentity, holdCount, queuePacketCount;
    private final TaskControlBlock[] taskTable = new TaskControlBlock[NUM_TYPES];

    void createDevice(final int identity, final int priority, final Packet workPacket, final TaskState state) {
      createTask(identity, priority, workPacket, state, (work, word) -> {
        final DeviceTaskDataRecord dataRecord = (DeviceTaskDataRecord) word;
        Packet functionWork = work;
        if (functionWork == null) {
          if ((functionWork = dataRecord.pending) == null) { return waitTask(); }
          dataRecord.pending = null;
          return queuePacket(functionWork);
        }
        dataRecord.pending = functionWork;
        return holdSelf();
      }, new DeviceTaskDataRecord());
    }
    void createHandler(final int identity, final int priority, final Packet workPacket, final TaskState state) {
      createTask(identity, priority, workPacket, state, (work, word) -> {
        final HandlerTaskDataRecord dataRecord = (HandlerTaskDataRecord) word;
        if (work != null) {
          if (WORK_PACKET_KIND == work.kind) { dataRecord.workInAdd(work); } else { dataRecord.deviceInAdd(work); }
        }
        final Packet wp = dataRecord.workIn;
        if (wp == null) { return waitTask(); }
        final int count = wp.datum;
        if (count >= DATA_SIZE) { dataRecord.workIn = wp.link; return queuePacket(wp); }
        final Packet devicePacket = dataRecord.deviceIn;
        if (devicePacket == null) { return waitTask(); }
        dataRecord.deviceIn = devicePacket.link;
        devicePacket.datum = wp.data[count];
        wp.datum = count + 1;
        return queuePacket(devicePacket);
      }, new HandlerTaskDataRecord());
    }
    void createIdler(final int identity, final int priority, final Packet work, final TaskState state) {
      createTask(identity, priority, work, state, (workArg, wordArg) -> {
        final IdleTaskDataRecord dataRecord = (IdleTaskDataRecord) wordArg;
        dataRecord.count = dataRecord.count - 1;
        if (0 == dataRecord.count) { return holdSelf(); }
        if (0 == (dataRecord.control & 1)) { dataRecord.control = dataRecord.control / 2; return release(DEVICE_A); }
        dataRecord.control = (dataRecord.control / 2) ^ 53256;
        return release(DEVICE_B);
      }, new IdleTaskDataRecord());
    }
    Packet createPacket(final Packet link, final int identity, final int kind) { return new Packet(link, identity, kind); }
    void createTask(final int identity, final int priority, final Packet work, final TaskState state,
        final ProcessFunction aBlock, final RBObject data) {
      final TaskControlBlock t = new TaskControlBlock(taskList, identity, priority, work, state, aBlock, data);
      taskList = t; taskTable[identity] = t;
    }
    void createWorker(final int identity, final int priority, final Packet workPacket, final TaskState state) {
      createTask(identity, priority, workPacket, state, (work, word) -> {
        final WorkerTaskDataRecord data = (WorkerTaskDataRecord) word;
        if (work == null) { return waitTask(); }
        data.destination = HANDLER_A == data.destination ? HANDLER_B : HANDLER_A;
        work.identity = data.destination;
        work.datum = 0;
        for (int i = 0; i < DATA_SIZE; i++) {
          data.count = data.count + 1;
          if (data.count > 26) { data.count = 1; }
          work.data[i] = 65 + data.count - 1;
        }
        return queuePacket(work);
      }, new WorkerTaskDataRecord());
    }
    boolean start() {
      createIdler(IDLER, 0, null, TaskState.createRunning());
      Packet workQ = createPacket(null, WORKER, WORK_PACKET_KIND);
      workQ = createPacket(workQ, WORKER, WORK_PACKET_KIND);
      createWorker(WORKER, 1000, workQ, TaskState.createWaitingWithPacket());
      workQ = createPacket(null, DEVICE_A, DEVICE_PACKET_KIND);
      workQ = createPacket(workQ, DEVICE_A, DEVICE_PACKET_KIND);
      workQ = createPacket(workQ, DEVICE_A, DEVICE_PACKET_KIND);
      createHandler(HANDLER_A, 2000, workQ, TaskState.createWaitingWithPacket());
      workQ = createPacket(null, DEVICE_B, DEVICE_PACKET_KIND);
      workQ = createPacket(workQ, DEVICE_B, DEVICE_PACKET_KIND);
      workQ = createPacket(workQ, DEVICE_B, DEVICE_PACKET_KIND);
      createHandler(HANDLER_B, 3000, workQ, TaskState.createWaitingWithPacket());
      createDevice(DEVICE_A, 4000, null, TaskState.createWaiting());
      createDevice(DEVICE_B, 5000, null, TaskState.createWaiting());
      schedule();
      return queuePacketCount == 23246 && holdCount == 9297;
    }
    TaskControlBlock findTask(final int identity) {
      final TaskControlBlock t = taskTable[identity];
      if (t == null) { throw new RuntimeException("findTask failed"); }
      return t;
    }
    TaskControlBlock holdSelf() { holdCount++; currentTask.taskHolding = true; return currentTask.link; }
    TaskControlBlock queuePacket(final Packet packet) {
      final TaskControlBlock t = findTask(packet.identity);
      queuePacketCount++;
      packet.link = null;
      packet.identity = currentTaskIdentity;
      return t.addInputAndCheckPriority(packet, currentTask);
    }
    TaskControlBlock release(final int identity) {
      final TaskControlBlock t = findTask(identity);
      t.taskHolding = false;
      return t.priority > currentTask.priority ? t : currentTask;
    }
    void schedule() {
      currentTask = taskList;
      while (currentTask != null) {
        if (currentTask.isTaskHoldingOrWaiting()) { currentTask = currentTask.link; }
        else { currentTaskIdentity = currentTask.identity; currentTask = currentTask.runTask(); }
      }
    }
    TaskControlBlock waitTask() { currentTask.taskWaiting = true; return currentTask; }
  }
}
