import * as net from "node:net";

// A tiny AMQP 0-9-1 client, just enough for the partition suite: PLAIN login, one channel,
// publisher confirms, queue.declare with arguments, basic.get with explicit acks. No dependency (amqplib is not installed), and
// every wait is bounded: a paused node must show up as a failure, never as a hang.

const FRAME_METHOD = 1;
const FRAME_HEADER = 2;
const FRAME_BODY = 3;
const FRAME_HEARTBEAT = 8;
const FRAME_END = 0xce;

class Writer {
  private readonly parts: Buffer[] = [];
  u8(n: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(n);
    this.parts.push(b);
    return this;
  }
  u16(n: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16BE(n);
    this.parts.push(b);
    return this;
  }
  u32(n: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    this.parts.push(b);
    return this;
  }
  u64(n: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(n));
    this.parts.push(b);
    return this;
  }
  shortstr(s: string): this {
    const b = Buffer.from(s, "utf8");
    return this.u8(b.length).raw(b);
  }
  longstr(s: string | Buffer): this {
    const b = typeof s === "string" ? Buffer.from(s, "utf8") : s;
    return this.u32(b.length).raw(b);
  }
  raw(b: Buffer): this {
    this.parts.push(b);
    return this;
  }
  done(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  constructor(
    private readonly b: Buffer,
    private at = 0,
  ) {}
  u8(): number {
    return this.b.readUInt8(this.at++);
  }
  u16(): number {
    const v = this.b.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    const v = this.b.readUInt32BE(this.at);
    this.at += 4;
    return v;
  }
  u64(): number {
    const v = Number(this.b.readBigUInt64BE(this.at));
    this.at += 8;
    return v;
  }
  shortstr(): string {
    const n = this.u8();
    const s = this.b.toString("utf8", this.at, this.at + n);
    this.at += n;
    return s;
  }
}

/** An AMQP field table (the arguments of a declare). */
function fieldTable(entries: Readonly<Record<string, string | number>>): Buffer {
  const body = new Writer();
  for (const [key, value] of Object.entries(entries)) {
    body.shortstr(key);
    if (typeof value === "string") body.u8("S".charCodeAt(0)).longstr(value);
    else {
      const int = Buffer.alloc(4);
      int.writeInt32BE(value);
      body.u8("I".charCodeAt(0)).raw(int);
    }
  }
  const bytes = body.done();
  return new Writer().u32(bytes.length).raw(bytes).done();
}

interface Frame {
  readonly type: number;
  readonly channel: number;
  readonly payload: Buffer;
}

export interface Delivery {
  readonly body: string;
  readonly redelivered: boolean;
  readonly deliveryTag: number;
}

/** One connection with one channel (number 1) in confirm mode. */
export class AmqpConnection {
  private buffer = Buffer.alloc(0);
  private readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private closed: Error | undefined;
  private nextTag = 1;
  private readonly acked = new Map<number, boolean>();
  private highestAcked = 0;
  private highestNacked = 0;

  private constructor(private readonly socket: net.Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const fail = (err: Error): void => {
      this.closed ??= err;
      this.wake();
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("amqp: connection closed")));
  }

  /** Connects, logs in with PLAIN, opens channel 1 and turns publisher confirms on. */
  static async open(
    host: string,
    port: number,
    user: string,
    password: string,
    vhost: string,
    timeoutMs = 10_000,
  ): Promise<AmqpConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`amqp: connect to ${host}:${port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      s.once("connect", () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once("error", (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
    const c = new AmqpConnection(socket);
    try {
      socket.write(Buffer.from("AMQP\x00\x00\x09\x01", "latin1"));
      await c.expectMethod(0, 10, 10, timeoutMs); // connection.start
      c.method(
        0,
        10,
        11,
        new Writer()
          .u32(0) // client properties: empty table
          .shortstr("PLAIN")
          .longstr(`\u0000${user}\u0000${password}`)
          .shortstr("en_US")
          .done(),
      );
      const tune = await c.expectMethod(0, 10, 30, timeoutMs);
      const channelMax = tune.u16();
      tune.u32();
      c.method(0, 10, 31, new Writer().u16(channelMax).u32(131_072).u16(0).done());
      c.method(0, 10, 40, new Writer().shortstr(vhost).shortstr("").u8(0).done());
      await c.expectMethod(0, 10, 41, timeoutMs);
      c.method(1, 20, 10, new Writer().shortstr("").done());
      await c.expectMethod(1, 20, 11, timeoutMs);
      c.method(1, 85, 10, new Writer().u8(0).done()); // confirm.select
      await c.expectMethod(1, 85, 11, timeoutMs);
      return c;
    } catch (err) {
      socket.destroy();
      throw err;
    }
  }

  /** Publishes a persistent message to the default exchange; returns its confirm tag. */
  publish(routingKey: string, body: string): number {
    const payload = Buffer.from(body, "utf8");
    this.method(1, 60, 40, new Writer().u16(0).shortstr("").shortstr(routingKey).u8(0).done());
    const header = new Writer()
      .u16(60)
      .u16(0)
      .u64(payload.length)
      .u16(0x1000) // delivery-mode present
      .u8(2) // persistent
      .done();
    this.frame(FRAME_HEADER, 1, header);
    this.frame(FRAME_BODY, 1, payload);
    return this.nextTag++;
  }

  /** Waits until the broker acks (true) or nacks (false) `tag`; rejects on timeout or close. */
  async confirmed(tag: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.drainConfirms();
      const known = this.acked.get(tag);
      if (known !== undefined) return known;
      if (tag <= this.highestAcked) return true;
      if (tag <= this.highestNacked) return false;
      await this.waitFrame(deadline, `confirm of message ${tag}`);
    }
  }

  /** basic.get: the next message of `queue`, or undefined when it is empty. */
  async get(queue: string, timeoutMs = 10_000): Promise<Delivery | undefined> {
    this.method(1, 60, 70, new Writer().u16(0).shortstr(queue).u8(0).done());
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      this.drainConfirms();
      const reply = this.takeMethod(1, 60, [71, 72]);
      if (reply) {
        if (reply.method === 72) return undefined;
        const r = reply.reader;
        const deliveryTag = r.u64();
        const redelivered = (r.u8() & 1) === 1;
        const header = await this.nextFrame(FRAME_HEADER, deadline);
        const size = new Reader(header.payload, 4).u64();
        const parts: Buffer[] = [];
        let received = 0;
        while (received < size) {
          const body = await this.nextFrame(FRAME_BODY, deadline);
          parts.push(body.payload);
          received += body.payload.length;
        }
        return { body: Buffer.concat(parts).toString("utf8"), redelivered, deliveryTag };
      }
      await this.waitFrame(deadline, `basic.get on ${queue}`);
    }
  }

  /**
   * queue.declare, durable, with `args` as its arguments table (strings as longstr, as Celery's
   * py-amqp sends them; integers as signed 32-bit). Resolves with the queue's message count;
   * rejects with the broker's reason when it refuses (a refusal closes the channel, and with it
   * this connection: use a connection per refusable declare).
   */
  async declareQueue(
    queue: string,
    args: Readonly<Record<string, string | number>>,
    timeoutMs = 10_000,
  ): Promise<number> {
    this.method(
      1,
      50,
      10,
      new Writer()
        .u16(0)
        .shortstr(queue)
        .u8(0b0000_0010) // durable; not passive, exclusive, auto-delete or no-wait
        .raw(fieldTable(args))
        .done(),
    );
    const ok = await this.expectMethod(1, 50, 11, timeoutMs);
    ok.shortstr();
    return ok.u32();
  }

  /** Acknowledges one delivery. */
  ack(deliveryTag: number): void {
    this.method(1, 60, 80, new Writer().u64(deliveryTag).u8(0).done());
  }

  /** Rejects one delivery without requeueing it: a queue with a dead-letter exchange forwards it. */
  reject(deliveryTag: number): void {
    this.method(1, 60, 90, new Writer().u64(deliveryTag).u8(0).done());
  }

  /** Closes politely, then the socket, whatever the broker answers. */
  async close(): Promise<void> {
    if (!this.closed) {
      try {
        this.method(0, 10, 50, new Writer().u16(200).shortstr("bye").u16(0).u16(0).done());
        await this.expectMethod(0, 10, 51, 2_000);
      } catch {
        // Closing a connection to a broker that went away: nothing left to do.
      }
    }
    this.socket.destroy();
  }

  private frame(type: number, channel: number, payload: Buffer): void {
    const head = new Writer().u8(type).u16(channel).u32(payload.length).done();
    this.socket.write(Buffer.concat([head, payload, Buffer.from([FRAME_END])]));
  }

  private method(channel: number, cls: number, method: number, args: Buffer): void {
    this.frame(
      FRAME_METHOD,
      channel,
      Buffer.concat([new Writer().u16(cls).u16(method).done(), args]),
    );
  }

  private parse(): void {
    while (this.buffer.length >= 7) {
      const size = this.buffer.readUInt32BE(3);
      if (this.buffer.length < size + 8) return;
      const frame = {
        type: this.buffer.readUInt8(0),
        channel: this.buffer.readUInt16BE(1),
        payload: this.buffer.subarray(7, 7 + size),
      };
      this.buffer = this.buffer.subarray(size + 8);
      if (frame.type === FRAME_HEARTBEAT) continue;
      if (frame.type === FRAME_METHOD && this.isClose(frame)) continue;
      this.frames.push(frame);
    }
    this.wake();
  }

  /** connection.close / channel.close from the broker: record why, answer close-ok. */
  private isClose(frame: Frame): boolean {
    const r = new Reader(frame.payload);
    const cls = r.u16();
    const method = r.u16();
    if ((cls === 10 && method === 50) || (cls === 20 && method === 40)) {
      const code = r.u16();
      const text = r.shortstr();
      this.closed ??= new Error(
        `amqp: broker closed the ${cls === 10 ? "connection" : "channel"}: ${code} ${text}`,
      );
      this.method(frame.channel, cls, method + 1, Buffer.alloc(0));
      return true;
    }
    return false;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async waitFrame(deadline: number, what: string): Promise<void> {
    if (this.closed) throw this.closed;
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`amqp: timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, left);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private drainConfirms(): void {
    for (let i = 0; i < this.frames.length; i++) {
      const f = this.frames[i] as Frame;
      if (f.type !== FRAME_METHOD) continue;
      const r = new Reader(f.payload);
      const cls = r.u16();
      const method = r.u16();
      if (cls !== 60 || (method !== 80 && method !== 120)) continue;
      const tag = r.u64();
      const multiple = (r.u8() & 1) === 1;
      const ok = method === 80;
      if (multiple) {
        if (ok) this.highestAcked = Math.max(this.highestAcked, tag);
        else this.highestNacked = Math.max(this.highestNacked, tag);
      } else this.acked.set(tag, ok);
      this.frames.splice(i--, 1);
    }
  }

  private takeMethod(
    channel: number,
    cls: number,
    methods: readonly number[],
  ): { method: number; reader: Reader } | undefined {
    const i = this.frames.findIndex((f) => {
      if (f.type !== FRAME_METHOD || f.channel !== channel) return false;
      const r = new Reader(f.payload);
      return r.u16() === cls && methods.includes(r.u16());
    });
    if (i < 0) return undefined;
    const f = this.frames.splice(i, 1)[0] as Frame;
    const reader = new Reader(f.payload);
    reader.u16();
    return { method: reader.u16(), reader };
  }

  private async expectMethod(
    channel: number,
    cls: number,
    method: number,
    timeoutMs: number,
  ): Promise<Reader> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.takeMethod(channel, cls, [method]);
      if (found) return found.reader;
      await this.waitFrame(deadline, `method ${cls}.${method}`);
    }
  }

  private async nextFrame(type: number, deadline: number): Promise<Frame> {
    for (;;) {
      const i = this.frames.findIndex((f) => f.type === type);
      if (i >= 0) return this.frames.splice(i, 1)[0] as Frame;
      await this.waitFrame(deadline, `a frame of type ${type}`);
    }
  }
}
