/**
 * Admission of query work: at most `slots` queries run at once (one connection of the query pool
 * each) and at most `perOrganization` of one organization; the others wait their turn, in order,
 * for up to `queueTimeoutMs`. An organization already keeping `maxWaitingPerOrganization` waiting
 * is told to slow down at once, so one tenant cannot fill the queue.
 */

/** Too many of this organization's queries are running and waiting (429). */
export class OrganizationBusyError extends Error {
  constructor() {
    super("Too many of this organization's queries are running; retry shortly");
    this.name = 'OrganizationBusyError';
  }
}

/** The query waited its longest for a turn (503). */
export class QueryQueueTimeoutError extends Error {
  constructor() {
    super('The query service is busy; retry shortly');
    this.name = 'QueryQueueTimeoutError';
  }
}

export interface QueryGateLimits {
  slots: number;
  perOrganization: number;
  maxWaitingPerOrganization: number;
  queueTimeoutMs: number;
}

interface Waiter {
  organization: string;
  grant: () => void;
  timer: NodeJS.Timeout;
}

export class QueryGate {
  private running = 0;
  private readonly runningBy = new Map<string, number>();
  private readonly waitingBy = new Map<string, number>();
  private waiters: Waiter[] = [];

  constructor(private readonly limits: QueryGateLimits) {}

  /** Resolves to the release function once the query may run; rejects with one of the errors above. */
  acquire(organization: string): Promise<() => void> {
    if (this.canRun(organization)) return Promise.resolve(this.take(organization));
    if ((this.waitingBy.get(organization) ?? 0) >= this.limits.maxWaitingPerOrganization) return Promise.reject(new OrganizationBusyError());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        organization,
        grant: () => resolve(this.take(organization)),
        timer: setTimeout(() => {
          this.unqueue(waiter);
          reject(new QueryQueueTimeoutError());
        }, this.limits.queueTimeoutMs).unref(),
      };
      this.waiters.push(waiter);
      add(this.waitingBy, organization, 1);
    });
  }

  /** Queries running and waiting now (for tests and metrics). */
  load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiters.length };
  }

  private canRun(organization: string): boolean {
    return this.running < this.limits.slots && (this.runningBy.get(organization) ?? 0) < this.limits.perOrganization;
  }

  private take(organization: string): () => void {
    this.running++;
    add(this.runningBy, organization, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running--;
      add(this.runningBy, organization, -1);
      this.dispatch();
    };
  }

  /** Starts every waiter, oldest first, whose organization now has room. */
  private dispatch(): void {
    for (const w of [...this.waiters]) {
      if (this.running >= this.limits.slots) return;
      if (!this.canRun(w.organization)) continue;
      this.unqueue(w);
      w.grant();
    }
  }

  private unqueue(w: Waiter): void {
    clearTimeout(w.timer);
    const i = this.waiters.indexOf(w);
    if (i < 0) return;
    this.waiters.splice(i, 1);
    add(this.waitingBy, w.organization, -1);
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const n = (counts.get(key) ?? 0) + delta;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
