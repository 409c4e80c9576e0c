import { Controller, Get, Header, Inject } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { ApiNoAuth } from '../common/api-security';
import { ApiUnsafeQueryResponse } from '../common/error-response.dto';
import { EventWriter } from '../collect/writer/event-writer';
import { RollupJob } from '../rollups/rollup-job.service';
import { ShieldFilter } from '../shields/shield-filter';
import { DROP_REASONS } from '../shields/shield-rules';
import { HttpMetrics } from './http-metrics';
import { MetricFamily, renderPrometheus } from './prometheus-text';
import { IpcEndpoint } from '../cluster/ipc-endpoint';
import { PRIMARY_LINK } from '../cluster/primary-link';
import { ClusterMessages } from '../cluster/messages';

interface PgPool {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly http: HttpMetrics,
    private readonly writer: EventWriter,
    private readonly rollups: RollupJob,
    private readonly shields: ShieldFilter,
    private readonly db: DataSource,
    @Inject(PRIMARY_LINK) private readonly primary: IpcEndpoint | null,
  ) {
    primary?.serve(ClusterMessages.workerMetrics, () => this.families());
  }

  @Get()
  @Public()
  @ApiNoAuth()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics: requests, ingestion, shields, writer, rollups and database pool' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiUnsafeQueryResponse()
  async metrics(): Promise<string> {
    // A scrape reaches one worker of a cluster; it answers for the whole instance.
    if (!this.primary) return renderPrometheus(this.families());
    return renderPrometheus(await this.primary.request<MetricFamily[]>(ClusterMessages.instanceMetrics));
  }

  /** This process's own metrics. */
  families(): MetricFamily[] {
    const w = this.writer.stats;
    const r = this.rollups.stats;
    const pool = (this.db.driver as unknown as { master?: PgPool }).master;
    const gauge = (name: string, help: string, value: number, aggregate?: 'max'): MetricFamily => ({ name, help, type: 'gauge', samples: [{ name, value }], aggregate });
    const counter = (name: string, help: string, value: number): MetricFamily => ({ name, help, type: 'counter', samples: [{ name, value }] });
    return [
      {
        name: 'footfall_http_requests_total',
        help: 'HTTP requests by method, route template and status.',
        type: 'counter',
        samples: this.http.samples().map((s) => ({ name: 'footfall_http_requests_total', labels: { method: s.method, route: s.route, status: s.status }, value: s.count })),
      },
      counter('footfall_ingest_events_total', 'Events committed to Postgres (rate() of it is events per second).', w.eventsWritten),
      {
        name: 'footfall_events_dropped_total',
        help: "Events dropped by their website's shields (answered as accepted, never stored), by the rule that dropped them.",
        type: 'counter',
        samples: DROP_REASONS.map((reason) => ({ name: 'footfall_events_dropped_total', labels: { reason }, value: this.shields.dropped[reason] })),
      },
      counter('footfall_writer_batches_total', 'Write transactions committed.', w.batches),
      gauge('footfall_writer_last_batch_events', 'Events in the last committed write transaction.', w.lastBatchSize, 'max'),
      gauge('footfall_writer_last_flush_seconds', 'Duration of the last write transaction.', w.lastFlushMs / 1000, 'max'),
      counter('footfall_writer_flush_seconds_total', 'Time spent in write transactions (divide by batches for the mean).', w.flushMsTotal / 1000),
      gauge('footfall_writer_queue_events', 'Events waiting to be written.', w.queuedEvents),
      counter('footfall_writer_shed_requests_total', 'Requests refused with 503 because the write queue was full.', w.shed),
      counter('footfall_writer_failures_total', 'Write transactions that failed (requests answered 503).', w.failures),
      counter('footfall_writer_optimistic_batches_total', 'Batches stored in one statement, their visitors known or new.', w.optimistic),
      counter('footfall_writer_locked_batches_total', 'Batches stored after locking their visitors (idempotency keys, or a visitor changed elsewhere).', w.locked),
      counter(
        'footfall_event_loop_active_seconds_total',
        'Time the event loop spent running code rather than waiting, summed over the workers (rate() of it is their utilization; near the number of workers, this instance is bound by its CPU).',
        performance.eventLoopUtilization().active / 1000,
      ),
      counter('footfall_rollup_passes_total', 'Passes of the rollup job on this instance.', r.passes),
      counter('footfall_rollup_days_recomputed_total', 'Days recomputed from raw events by the rollup job.', r.daysRecomputed),
      counter('footfall_rollup_failures_total', 'Rollup passes, and website-days within them, that failed (the next pass retries).', r.failures),
      gauge('footfall_rollup_last_pass_seconds', 'Duration of the last rollup pass.', r.lastPassMs / 1000, 'max'),
      gauge('footfall_db_pool_connections', 'Connections open in the Postgres pool.', pool?.totalCount ?? 0),
      gauge('footfall_db_pool_idle', 'Idle connections in the Postgres pool.', pool?.idleCount ?? 0),
      gauge('footfall_db_pool_waiting', 'Queries waiting for a pool connection.', pool?.waitingCount ?? 0),
    ];
  }
}
