import { ApiProperty } from '@nestjs/swagger';
import { GRANULARITIES, Granularity } from '../query/rest-params';

export class EventNameCountDto {
  @ApiProperty({ example: 'signup_click' }) event_name!: string;
  @ApiProperty({ type: 'integer', example: 342 }) count!: number;
}

export class EventNamesResponseDto {
  @ApiProperty({ type: [EventNameCountDto], description: 'Custom events of the period, most frequent first (at most 1000 names).' })
  data!: EventNameCountDto[];
}

export class PropertyValueCountDto {
  @ApiProperty({ example: 'pro', description: 'The value as a string (numbers, booleans and objects in their JSON text).' }) value!: string;
  @ApiProperty({ type: 'integer', example: 56 }) count!: number;
}

export class EventPropertyDto {
  @ApiProperty({ example: 'plan' }) property_key!: string;
  @ApiProperty({ type: [PropertyValueCountDto], description: 'Most frequent values first (at most 100 per key).' }) values!: PropertyValueCountDto[];
}

export class EventPropertiesResponseDto {
  @ApiProperty({ type: [EventPropertyDto], description: 'Keys carried by the most events first.' }) data!: EventPropertyDto[];
}

export class EventSeriesPointDto {
  @ApiProperty({ example: '2026-02-01', description: "Bucket start in the website's time zone: YYYY-MM-DD, or YYYY-MM-DDTHH:00:00±hh:mm for hours." })
  date!: string;
  @ApiProperty({ type: 'integer', example: 23 }) count!: number;
}

export class EventTimeseriesDataDto {
  @ApiProperty({ type: [EventSeriesPointDto], description: 'Every bucket of the period, zeros included.' }) series!: EventSeriesPointDto[];
  @ApiProperty({ enum: GRANULARITIES, example: 'day' }) granularity!: Granularity;
}

export class EventTimeseriesResponseDto {
  @ApiProperty({ type: EventTimeseriesDataDto }) data!: EventTimeseriesDataDto;
}
