import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiQuery } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { DIMENSION_NAMES } from '../query/dimensions';
import { Granularity, GRANULARITIES, Metric, METRICS, OPERATORS } from '../query/rest-params';

const DATE_HELP =
  "A day (YYYY-MM-DD) in the website's time zone, inclusive, or an ISO 8601 date-time with a time zone. " +
  'Default range: the last 30 days including today. The range may not end before it starts nor exceed 2 years.';

/** start_date and end_date, shared by every query. */
export class DateRangeQueryDto {
  @ApiPropertyOptional({ example: '2026-02-01', description: `Start of the period. ${DATE_HELP}` })
  @IsOptional()
  @IsString()
  start_date?: string;

  @ApiPropertyOptional({ example: '2026-02-28', description: `End of the period (a day is inclusive; a date-time is exclusive). ${DATE_HELP}` })
  @IsOptional()
  @IsString()
  end_date?: string;
}

export class EventNameQueryDto extends DateRangeQueryDto {
  @ApiProperty({ type: String, maxLength: 255, example: 'purchase', description: 'Custom event name (trimmed).' })
  // Checked by the service, with the messages Sparklytics answers.
  @Allow()
  event_name?: unknown;
}

export class EventTimeseriesQueryDto extends EventNameQueryDto {
  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'day' })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of: ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;
}

export class TimeseriesQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ enum: METRICS, default: 'pageviews', description: 'pageviews, distinct visitors, visits (sessions) or custom events per bucket.' })
  @IsOptional()
  @IsIn(METRICS, { message: `metric must be one of: ${METRICS.join(', ')}` })
  metric?: Metric;

  @ApiPropertyOptional({ enum: GRANULARITIES, default: 'day', description: "Bucket size, in the website's time zone (weeks start on Monday)." })
  @IsOptional()
  @IsIn(GRANULARITIES, { message: `granularity must be one of: ${GRANULARITIES.join(', ')}` })
  granularity?: Granularity;
}

export const MAX_BREAKDOWN_LIMIT = 1000;

export class BreakdownQueryDto extends DateRangeQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_BREAKDOWN_LIMIT, default: 10, description: 'Rows per page.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be a whole number' })
  @Min(1)
  @Max(MAX_BREAKDOWN_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 1_000_000, default: 1, description: 'Page number, from 1.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'page must be a whole number' })
  @Min(1)
  @Max(1_000_000)
  page?: number;
}

/** Documents filter[<dimension>]=[<operator>:]value (parsed from the raw query string). */
export const ApiFilterQuery = () =>
  applyDecorators(
    ApiQuery({
      name: 'filter',
      required: false,
      style: 'deepObject',
      explode: true,
      // Each dimension maps to a list: filter[page]=a&filter[page]=b sends two filters on page.
      schema: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
      example: { page: ['contains:/blog'], country: ['is_not:US', 'is_not:CA'] },
      description:
        'Filters, combined with AND: filter[<dimension>]=[<operator>:]value, repeatable (each value of a dimension\'s list is one filter[<dimension>] pair). ' +
        `Operators: ${OPERATORS.join(', ')} (default is; contains is case-insensitive). ` +
        `Dimensions: ${DIMENSION_NAMES.join(', ')}, prop:<key> (a custom event property). ` +
        'Write is:<value> for a value that itself starts with a word and a colon.',
    }),
  );
