import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { InvalidationsRepository } from './invalidations.repository';

/** How long a publisher waits for its own notice to come back (then every listener has most likely had it). */
const ECHO_WAIT_MS = 1_000;
/**
 * Postgres hands a notice to every listener at the same commit, but each process reads it from its
 * own socket: after hearing its own, the publisher gives the others this long (a few turns of their
 * event loops) before the change is confirmed to the caller.
 */
const PEERS_GRACE_MS = 50;
const RECONNECT_MS = [100, 500, 1_000, 2_000, 5_000];

/** What a notice is about: an API key or a shared link (revoked), or a website (changed or deleted), by id. */
export type InvalidationTopic = 'api-key' | 'website' | 'shared-link';
/** Receives the id that changed, or null after a gap in listening: anything may have changed. */
export type InvalidationHandler = (id: string | null) => void;

/**
 * Tells every Footfall process on the database that a cached API key or website changed: each
 * cluster worker and each instance listens with Postgres LISTEN/NOTIFY, so no IPC link or Redis
 * is needed and instances that share only the database hear it too. A notice is delivered at
 * once to every listener; while this process is not listening (starting, connection lost),
 * `live` is false and caches must read through to the database.
 */
@Injectable()
export class Invalidations implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Invalidations.name);
  private readonly handlers = new Map<InvalidationTopic, InvalidationHandler[]>();
  private readonly echoes = new Map<string, () => void>();
  private client: Client | null = null;
  private readonly retired = new WeakSet<Client>();
  private listening = false;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly repo: InvalidationsRepository) {}

  /** True while notices are heard: only then may a cache answer from memory. */
  get live(): boolean {
    return this.listening;
  }

  subscribe(topic: InvalidationTopic, handler: InvalidationHandler): void {
    this.handlers.set(topic, [...(this.handlers.get(topic) ?? []), handler]);
  }

  /**
   * Announces a change that is already committed. This process forgets at once; the call returns
   * once its own notice has come back through Postgres, which delivers it to all listeners alike,
   * and the other processes have had PEERS_GRACE_MS to read theirs.
   */
  async publish(topic: InvalidationTopic, id: string): Promise<void> {
    this.deliver(topic, id);
    const nonce = randomUUID();
    const echoed = this.listening ? this.awaitEcho(nonce) : null;
    try {
      await this.repo.notify(`${topic} ${nonce} ${id}`);
    } catch (err) {
      this.echoes.delete(nonce);
      throw err;
    }
    if (!echoed) return;
    if (!(await echoed)) {
      // A listener that does not hear its own notice cannot be trusted: listen anew, caches off meanwhile.
      this.logger.warn(`no notice back within ${ECHO_WAIT_MS} ms; reconnecting the listener`);
      if (this.client) this.lost(this.client);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, PEERS_GRACE_MS));
  }

  onApplicationBootstrap(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private awaitEcho(nonce: string): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.echoes.delete(nonce);
        resolve(false);
      }, ECHO_WAIT_MS);
      this.echoes.set(nonce, () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  private async connect(): Promise<void> {
    this.timer = null;
    if (this.stopped) return;
    let client: Client;
    try {
      client = await this.repo.listen(
        (payload) => this.receive(payload),
        (c) => this.lost(c),
      );
    } catch (err) {
      // The connection was given up (lost) and the next attempt is scheduled.
      if (this.failures === 1) this.logger.warn(`cannot listen for changes (caches are bypassed until it can): ${(err as Error).message}`);
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.failures = 0;
    // Changes made while nobody listened here were not heard: forget everything first.
    for (const handlers of this.handlers.values()) for (const h of handlers) h(null);
    this.listening = true;
  }

  /** The listening connection failed or ended: caches off, and listen again after a pause. */
  private lost(client: Client): void {
    // A connection is given up once, and each one given up starts the next: one at a time.
    if (this.retired.has(client)) return;
    this.retired.add(client);
    client.removeAllListeners('notification');
    client.end().catch(() => undefined);
    if (this.client === client) {
      this.client = null;
      if (!this.stopped) this.logger.warn('lost the connection listening for changes; caches are bypassed until it is back');
    }
    this.listening = false;
    if (this.stopped) return;
    const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)];
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }

  private receive(payload: string): void {
    const [topic, nonce, ...rest] = payload.split(' ');
    this.echoes.get(nonce)?.();
    this.echoes.delete(nonce);
    this.deliver(topic as InvalidationTopic, rest.join(' '));
  }

  private deliver(topic: InvalidationTopic, id: string): void {
    for (const h of this.handlers.get(topic) ?? []) h(id);
  }
}
