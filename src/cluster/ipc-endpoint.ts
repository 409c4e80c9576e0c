/** One side of a parent-child IPC channel: a cluster worker's `process`, or the primary's `Worker`. */
export interface IpcChannel {
  send(message: unknown): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A request, or the reply to one (`reply` holds the request's id). Tagged so other IPC traffic is left alone. */
interface Envelope {
  footfall: 1;
  id: number;
  type?: string;
  reply?: number;
  body?: unknown;
  error?: string;
}

const isEnvelope = (m: unknown): m is Envelope => typeof m === 'object' && m !== null && (m as Envelope).footfall === 1;

type Handler = (body: unknown) => unknown;

/**
 * Request/reply over a process channel, used the same way on both sides: the primary asks its
 * workers for their metrics, a worker asks the primary to count a rate-limit hit. Requests fail
 * after `timeoutMs` (a process that died does not answer) or when the channel closes.
 */
export class IpcEndpoint {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  private readonly handlers = new Map<string, Handler>();
  private closed = false;

  constructor(
    private readonly channel: IpcChannel,
    private readonly timeoutMs = 5_000,
  ) {
    channel.on('message', (m) => this.receive(m));
  }

  request<T>(type: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`IPC channel closed (${type})`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`no IPC answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.post({ footfall: 1, id, type, body });
    });
  }

  /** Answers requests of this type; a thrown error or rejection is sent back as the request's failure. */
  serve(type: string, handler: Handler): void {
    this.handlers.set(type, handler);
  }

  /** Fails every request still waiting (the other process is gone). */
  close(): void {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('IPC channel closed'));
      this.pending.delete(id);
    }
  }

  private post(envelope: Envelope): void {
    try {
      this.channel.send(envelope);
    } catch (err) {
      // Sending on a closed channel throws: the request fails like an unanswered one.
      if (envelope.reply === undefined) this.settle(envelope.id, undefined, (err as Error).message);
    }
  }

  private receive(m: unknown): void {
    if (!isEnvelope(m)) return;
    if (m.reply !== undefined) return this.settle(m.reply, m.body, m.error);
    const handler = m.type === undefined ? undefined : this.handlers.get(m.type);
    if (!handler) return this.post({ footfall: 1, id: 0, reply: m.id, error: `no handler for ${m.type}` });
    Promise.resolve()
      .then(() => handler(m.body))
      .then(
        (body) => this.post({ footfall: 1, id: 0, reply: m.id, body }),
        (err: Error) => this.post({ footfall: 1, id: 0, reply: m.id, error: err?.message ?? String(err) }),
      );
  }

  private settle(id: number, body: unknown, error: string | undefined): void {
    const p = this.pending.get(id);
    if (!p) return; // answered after its timeout
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (error !== undefined) p.reject(new Error(error));
    else p.resolve(body);
  }
}
