import { DATE_SHORTCUTS } from './v2-date-range';
import { V2_METRICS } from './v2-metrics';

/**
 * The OpenAPI description of the Stats API v2 body and answer. The body is validated whole by
 * parseV2Request (its errors name the field, as Plausible's do), so this schema documents rather
 * than validates.
 */

const DIMENSIONS =
  'event:page, event:hostname, event:name, event:goal, event:props:<key>, visit:entry_page, visit:exit_page, visit:source, visit:referrer, ' +
  'visit:utm_source, visit:utm_medium, visit:utm_campaign, visit:utm_term, visit:utm_content, visit:device, visit:browser, visit:browser_version, ' +
  'visit:os, visit:os_version, visit:country, visit:region, visit:city, visit:country_name, visit:region_name, visit:city_name, time, time:hour, time:day, time:week, time:month';

const filterItem = {
  type: 'array',
  description:
    'A condition [operator, dimension, [values...], {"case_sensitive": false}?] with operator is, is_not, contains, contains_not, matches, matches_not; ' +
    'or [and|or, [filters...]], [not, filter], [has_done|has_not_done, filter].',
  items: {},
  example: ['is', 'visit:country', ['DE', 'FR']],
};

export const V2_QUERY_BODY_SCHEMA = {
  type: 'object',
  required: ['site_id', 'metrics', 'date_range'],
  additionalProperties: false,
  properties: {
    site_id: { type: 'string', description: 'The website id, or its domain when exactly one of your websites has it.', example: 'example.com' },
    metrics: { type: 'array', minItems: 1, items: { type: 'string', enum: [...V2_METRICS] }, example: ['visitors', 'pageviews', 'bounce_rate'] },
    date_range: {
      description: "A shortcut, or [start, end] as dates (whole days in the website's zone, inclusive) or ISO 8601 date-times with offset.",
      oneOf: [
        { type: 'string', enum: [...DATE_SHORTCUTS] },
        { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 },
      ],
      example: '7d',
    },
    dimensions: { type: 'array', items: { type: 'string' }, description: `Any of: ${DIMENSIONS}.`, example: ['visit:source'] },
    filters: { type: 'array', items: filterItem },
    order_by: { type: 'array', items: { type: 'array', items: { type: 'string' }, minItems: 2, maxItems: 2 }, example: [['visitors', 'desc']] },
    include: {
      type: 'object',
      additionalProperties: false,
      properties: { time_labels: { type: 'boolean' }, total_rows: { type: 'boolean' }, imports: { type: 'boolean', description: 'Accepted; Footfall has no imported data apart from events.' } },
    },
    pagination: {
      type: 'object',
      additionalProperties: false,
      properties: { limit: { type: 'integer', minimum: 1, maximum: 10000, default: 10000 }, offset: { type: 'integer', minimum: 0, default: 0 } },
    },
  },
};

export const V2_RESPONSE_SCHEMA = {
  type: 'object',
  required: ['results', 'meta', 'query'],
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        required: ['metrics', 'dimensions'],
        properties: {
          metrics: { type: 'array', items: { type: 'number', nullable: true }, description: 'One value per requested metric, in order.' },
          dimensions: { type: 'array', items: { type: 'string' }, description: 'One value per requested dimension, in order.' },
        },
      },
    },
    meta: {
      type: 'object',
      properties: {
        time_labels: { type: 'array', items: { type: 'string' } },
        total_rows: { type: 'integer' },
        imports_included: { type: 'boolean' },
      },
      additionalProperties: true,
    },
    query: { type: 'object', additionalProperties: true, description: 'The query as answered: date_range resolved to date-times in the website’s zone, defaults filled in.' },
  },
};

export const V2_ERROR_SCHEMA = { type: 'object', required: ['error'], properties: { error: { type: 'string', example: 'Unknown metric "time_on_page"' } } };
