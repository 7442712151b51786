import { createHash } from "node:crypto";

// The Python module CeleryWorkerPool's workers start Celery with. Celery declares the queues it
// consumes at start, and RabbitMQ refuses a redeclaration whose arguments differ from the queue's
// (PRECONDITION_FAILED inequivalent arg): started with a bare `--queues=<name>`, Celery declares
// the queue with no arguments, while RabbitMqCluster's definitions give it `x-queue-type`. The
// module imports the user's app and declares each of the pool's queues exactly as the broker has
// it: `x-queue-type` and nothing else (dead-lettering and delivery limits are broker policies).

/** The module's name (`celery --app taskstack_celery worker`), its file and where it is mounted. */
export const celeryBootstrap = {
  module: "taskstack_celery",
  file: "taskstack_celery.py",
  dir: "/etc/taskstack/celery",
} as const;

/** The oldest Celery the bootstrap runs with: 5.5 added `worker_detect_quorum_queues`. */
export const minimumCeleryVersion = "5.5";

/** The variable each Deployment sets to the queue its workers consume (the module reads it). */
export const celeryQueueEnv = "TASKSTACK_CELERY_QUEUE";

/** Seconds between two touches of the heartbeat file by the generated bootstep. */
export const heartbeatIntervalSeconds = 10;

export interface CeleryBootstrapQueue {
  readonly name: string;
  readonly type: "quorum" | "classic";
  /** Ack after the task ran (`task_acks_late`, `task_reject_on_worker_lost`), not before. */
  readonly acksLate: boolean;
}

export interface CeleryBootstrapInput {
  /** The component's name, for the module's header. */
  readonly pool: string;
  /** The Celery app as `celery --app` takes it (`shop.worker`, `shop.worker:app`). */
  readonly app: string;
  /** Each queue the pool consumes, its RabbitMQ type and ack mode, in the pool's order. */
  readonly queues: readonly CeleryBootstrapQueue[];
  /** The file the generated bootstep touches; undefined when the image brings its own. */
  readonly heartbeatFile: string | undefined;
}

/** A Python string literal (JSON's escapes are Python's for these ASCII names). */
const py = (text: string): string => JSON.stringify(text);
const pyBool = (b: boolean): string => (b ? "True" : "False");

/**
 * The bootstrap module's source. It imports the app the way the `celery` command does
 * (`find_app`), keeps the app's own `task_queues` except the pool's, and declares each of the
 * pool's queues as Celery declares a queue it creates itself (an exchange of the queue's name, of
 * the app's `task_create_missing_queue_exchange_type`, direct by default, and the queue's name as
 * routing key), with `x-queue-type` as the only argument. Producers that set
 * `task_create_missing_queue_type = "quorum"` declare the same.
 * `worker_detect_quorum_queues` turns Celery's global QoS off, which quorum queues refuse
 * (540 NOT_IMPLEMENTED); queues Celery creates on its own get the quorum type too.
 *
 * For the queue its Deployment names (`TASKSTACK_CELERY_QUEUE`), a late-ack queue gets
 * `task_acks_late`, `task_reject_on_worker_lost` (a task whose process died is returned, so
 * the broker's delivery limit dead-letters a task that keeps killing its worker) and
 * `worker_cancel_long_running_tasks_on_connection_loss` (its message is redelivered to another
 * worker once the connection is gone; running it on would run it twice).
 *
 * With a heartbeat file, a worker bootstep touches it every {@link heartbeatIntervalSeconds}
 * seconds from the worker's timer, which the event loop drives: a hung loop stops the touches,
 * and the startup and liveness probes see the file age. The file is removed at shutdown.
 */
export function renderCeleryBootstrap(input: CeleryBootstrapInput): string {
  const queues = input.queues.map(
    (q) => `    ${py(q.name)}: {"type": ${py(q.type)}, "acks_late": ${pyBool(q.acksLate)}},`,
  );
  const [major, minor] = minimumCeleryVersion.split(".");
  const heartbeat =
    input.heartbeatFile === undefined
      ? []
      : [
          "",
          "",
          "class TaskstackHeartbeat(bootsteps.StartStopStep):",
          `    """Touches ${input.heartbeatFile} from the worker's timer; the probes check its age."""`,
          "",
          '    requires = {"celery.worker.components:Timer"}',
          "",
          "    def __init__(self, parent, **kwargs):",
          "        super().__init__(parent, **kwargs)",
          "        self.tref = None",
          "",
          "    def start(self, worker):",
          "        self._touch()",
          "        self.tref = worker.timer.call_repeatedly(HEARTBEAT_SECONDS, self._touch, priority=10)",
          "",
          "    def stop(self, worker):",
          "        if self.tref is not None:",
          "            self.tref.cancel()",
          "            self.tref = None",
          "        try:",
          "            os.unlink(HEARTBEAT_FILE)",
          "        except FileNotFoundError:",
          "            pass",
          "",
          "    def _touch(self):",
          '        with open(HEARTBEAT_FILE, "a"):',
          "            os.utime(HEARTBEAT_FILE)",
          "",
          "",
          'app.steps["worker"].add(TaskstackHeartbeat)',
        ];
  return [
    `"""Generated by taskstack for the CeleryWorkerPool ${py(input.pool)}; do not edit.`,
    "",
    `Workers run \`celery --app ${celeryBootstrap.module} worker --queues=<queue>\`. This module imports`,
    `the app ${py(input.app)} and declares each queue as the RabbitMQ definitions declare it:`,
    "x-queue-type and no other argument (RabbitMQ refuses a redeclaration whose arguments differ;",
    "dead-lettering, delivery limits and consumer timeouts are broker policies). It sets the ack",
    `mode of the queue ${celeryQueueEnv} names${input.heartbeatFile === undefined ? "" : ", and installs the heartbeat the probes read"}.`,
    '"""',
    "",
    "import os",
    "",
    "import celery",
    ...(input.heartbeatFile === undefined ? [] : ["from celery import bootsteps"]),
    "from celery.app.utils import find_app",
    "from kombu import Exchange, Queue",
    "",
    "QUEUES = {",
    ...queues,
    "}",
    ...(input.heartbeatFile === undefined
      ? []
      : [
          `HEARTBEAT_FILE = ${py(input.heartbeatFile)}`,
          `HEARTBEAT_SECONDS = ${heartbeatIntervalSeconds}`,
        ]),
    "",
    `if tuple(int(p) for p in celery.__version__.split(".")[:2]) < (${major}, ${minor}):`,
    "    raise RuntimeError(",
    `        "taskstack: Celery ${minimumCeleryVersion} or newer is required (quorum queues refuse the global QoS"`,
    `        " older versions apply), found " + celery.__version__`,
    "    )",
    "",
    `app = find_app(${py(input.app)})`,
    "",
    "_kept = []",
    "for _queue in app.conf.task_queues or ():",
    "    if not isinstance(_queue, Queue):",
    '        raise TypeError("taskstack: task_queues must hold kombu Queue objects, got %r" % (_queue,))',
    "    if _queue.name not in QUEUES:",
    "        _kept.append(_queue)",
    "# The exchange Celery itself would declare for the queue: named after it, of the app's type.",
    '_exchange_type = app.conf.get("task_create_missing_queue_exchange_type") or "direct"',
    "app.conf.task_queues = _kept + [",
    "    Queue(",
    "        name,",
    "        Exchange(name, type=_exchange_type),",
    "        routing_key=name,",
    '        queue_arguments={"x-queue-type": settings["type"]},',
    "    )",
    "    for name, settings in QUEUES.items()",
    "]",
    "app.conf.worker_detect_quorum_queues = True",
    'app.conf.task_create_missing_queue_type = "quorum"',
    "",
    "# The queue this worker consumes, as its Deployment names it.",
    `_settings = QUEUES.get(os.environ.get(${py(celeryQueueEnv)}, ""))`,
    'if _settings is not None and _settings["acks_late"]:',
    "    # Ack once the task ran: a task whose process dies is returned (and counts towards the",
    "    # queue's delivery limit), and a task whose connection is lost stops, since its message",
    "    # goes back to the queue.",
    "    app.conf.task_acks_late = True",
    "    app.conf.task_reject_on_worker_lost = True",
    "    app.conf.worker_cancel_long_running_tasks_on_connection_loss = True",
    ...heartbeat,
    "",
  ].join("\n");
}
/** A short digest of the module, for the pod annotation that rolls the workers when it changes. */
export function celeryBootstrapHash(source: string): string {
  return createHash("sha256").update(source).digest("hex").slice(0, 16);
}
