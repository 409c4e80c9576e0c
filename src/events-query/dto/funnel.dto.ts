import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export const FUNNEL_STEP_TYPES = ['page', 'event'] as const;
export const MAX_FUNNEL_WINDOW_MINUTES = 60 * 24 * 90;

export class FunnelStepDto {
  @ApiProperty({ enum: FUNNEL_STEP_TYPES, description: 'page: a pageview of this path; event: a custom event of this name.' })
  @IsIn(FUNNEL_STEP_TYPES, { message: `type must be one of: ${FUNNEL_STEP_TYPES.join(', ')}` })
  type!: 'page' | 'event';

  @ApiProperty({ example: '/pricing', maxLength: 2048, description: 'Exact path (page) or event name (event).' })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  value!: string;
}

export class FunnelQueryDto {
  @ApiProperty({ type: [FunnelStepDto], minItems: 2, maxItems: 8 })
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(8)
  @ValidateNested({ each: true })
  @Type(() => FunnelStepDto)
  steps!: FunnelStepDto[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_FUNNEL_WINDOW_MINUTES, description: 'Every step must happen within this many minutes of the first step.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_FUNNEL_WINDOW_MINUTES)
  window_minutes?: number;
}

export class FunnelStepResultDto {
  @ApiProperty({ enum: FUNNEL_STEP_TYPES }) type!: 'page' | 'event';
  @ApiProperty({ example: '/pricing' }) value!: string;
  @ApiProperty({ type: 'integer', example: 40, description: 'Visitors who reached this step after all the previous ones, in order.' }) visitors!: number;
  @ApiProperty({ example: 0.5, description: 'visitors / visitors of the previous step, 0..1 (4 decimals); 1 for the first step; 0 when the previous step has none.' })
  conversion_from_previous!: number;
  @ApiProperty({ example: 0.25, description: 'visitors / visitors of the first step, 0..1 (4 decimals); 0 when the first step has none.' })
  conversion_from_first!: number;
}

export class FunnelResponseDto {
  @ApiProperty({ type: [FunnelStepResultDto] }) steps!: FunnelStepResultDto[];
}
