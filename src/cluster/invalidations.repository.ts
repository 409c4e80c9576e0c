import { Inject, Injectable } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config';

const CHANNEL = 'footfall_invalidate';

/** The Postgres side of Invalidations: NOTIFY through the pool, LISTEN on a connection of its own. */
@Injectable()
export class InvalidationsRepository {
  constructor(
    private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Sends a notice to every listener; delivered when this (autocommitted) statement commits. */
  async notify(payload: string): Promise<void> {
    await this.db.query('SELECT pg_notify($1, $2)', [CHANNEL, payload]);
  }

  /**
   * A new connection (not from the pool: a listener must keep its session) listening for notices.
   * The caller owns it: it handles its 'error' and 'end' events and ends it.
   */
  async listen(onNotice: (payload: string) => void, onLost: (client: Client) => void): Promise<Client> {
    const client = new Client({ connectionString: this.config.databaseUrl!, application_name: 'footfall-listen', connectionTimeoutMillis: 5_000 });
    client.on('notification', (n) => onNotice(n.payload ?? ''));
    client.on('error', () => onLost(client));
    client.on('end', () => onLost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
    } catch (err) {
      onLost(client);
      throw err;
    }
    return client;
  }
}
