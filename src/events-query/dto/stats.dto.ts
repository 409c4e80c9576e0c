import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRANULARITIES, Granularity, METRICS, Metric } from '../query/rest-params';

/** Marks answers taken from the daily rollups (see README, Querying). */
const EstimatedProperty = () =>
  ApiProperty({
    required: false,
    enum: [true],
    description:
      'Present (true) when the answer comes from the daily rollups: visitors are then a HyperLogLog estimate (standard error 1.6%: 19 in 20 estimates within 3.2%) and visits are counted on the day they started. Ranges holding fewer than ROLLUP_MIN_EVENTS rolled-up events, and filtered queries, are counted exactly and carry no such field.',
  });

export class MetricValueDto {
  @ApiProperty({ example: 120 }) value!: number;
  @ApiProperty({ example: 100, description: 'The same metric over the previous period (equal length, immediately before).' }) previous!: number;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.2,
    description: 'Relative change (value - previous) / previous, e.g. 0.2 = +20%; null when previous is 0. Rounded to 4 decimals.',
  })
  change!: number | null;
}

export class PeriodDto {
  @ApiProperty({ format: 'date-time', description: 'First instant (inclusive).' }) start!: string;
  @ApiProperty({ format: 'date-time', description: 'End instant (exclusive).' }) end!: string;
}

export class StatsResponseDto {
  @ApiProperty({ type: MetricValueDto, description: 'Pageviews (custom events excluded).' }) pageviews!: MetricValueDto;
  @ApiProperty({ type: MetricValueDto, description: 'Distinct visitors with any event.' }) visitors!: MetricValueDto;
  @ApiProperty({ type: MetricValueDto, description: 'Visits with any event in the period (30 minutes of inactivity end a visit).' }) sessions!: MetricValueDto;
  @ApiProperty({ type: MetricValueDto, description: 'Share of visits with at most one pageview, 0..1 (4 decimals).' }) bounce_rate!: MetricValueDto;
  @ApiProperty({ type: MetricValueDto, description: 'Mean visit length in seconds, first to last event (1 decimal).' }) avg_session_duration!: MetricValueDto;
  @ApiProperty({ type: MetricValueDto, description: 'Pageviews per visit (2 decimals).' }) views_per_session!: MetricValueDto;
  @ApiProperty({ type: PeriodDto }) period!: PeriodDto;
  @ApiProperty({ type: PeriodDto }) previous_period!: PeriodDto;
  @EstimatedProperty() estimated?: true;
}

export class BreakdownRowDto {
  @ApiProperty({ type: String, nullable: true, example: '/pricing', description: 'The dimension value; null when not set (e.g. direct traffic for referrer_domain).' })
  value!: string | null;
  @ApiProperty({ type: 'integer', example: 42, description: 'Distinct visitors.' }) visitors!: number;
  @ApiProperty({ type: 'integer', example: 50, description: 'Visits.' }) sessions!: number;
  @ApiProperty({ type: 'integer', example: 61, description: 'Pageviews.' }) pageviews!: number;
  @ApiProperty({ type: 'integer', example: 3, description: 'Custom events.' }) events!: number;
  @ApiPropertyOptional({ type: 'number', example: 0.0412, description: 'Breakdown by goal only: visitors completing the goal / all visitors of the period (matching the other filters), a fraction.' })
  conversion_rate?: number;
}

export class BreakdownResponseDto {
  @ApiProperty({ type: [BreakdownRowDto], description: 'Most visitors first, then pageviews, events, value.' }) data!: BreakdownRowDto[];
  @ApiProperty({ type: 'integer', example: 1 }) page!: number;
  @ApiProperty({ type: 'integer', example: 10 }) limit!: number;
  @EstimatedProperty() estimated?: true;
}

export class TimeseriesPointDto {
  @ApiProperty({ example: '2026-02-01', description: "Bucket start in the website's time zone: YYYY-MM-DD, or YYYY-MM-DDTHH:00:00±hh:mm for hours." })
  date!: string;
  @ApiProperty({ example: 17 }) value!: number;
}

export class TimeseriesResponseDto {
  @ApiProperty({ enum: METRICS, example: 'pageviews' }) metric!: Metric;
  @ApiProperty({ enum: GRANULARITIES, example: 'day' }) granularity!: Granularity;
  @ApiProperty({ type: [TimeseriesPointDto], description: 'Every bucket of the period in order, zeros included; the first bucket may start before start_date (e.g. the Monday of its week) but counts only events of the period.' })
  data!: TimeseriesPointDto[];
  @EstimatedProperty() estimated?: true;
}

export class RealtimeRowDto {
  @ApiProperty({ type: String, nullable: true, example: '/pricing', description: 'Page path, or referrer domain (null: direct).' }) value!: string | null;
  @ApiProperty({ type: 'integer', example: 3 }) visitors!: number;
}

export class RealtimeResponseDto {
  @ApiProperty({ type: 'integer', example: 5, description: 'Distinct visitors with an event in the last 5 minutes.' }) visitors!: number;
  @ApiProperty({ type: [RealtimeRowDto], description: 'Pages viewed in the last 5 minutes (top 10).' }) pages!: RealtimeRowDto[];
  @ApiProperty({ type: [RealtimeRowDto], description: 'Sources of the visits active in the last 5 minutes (top 10).' }) sources!: RealtimeRowDto[];
}
