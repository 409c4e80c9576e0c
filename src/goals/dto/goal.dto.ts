import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateBy, ValidateIf, ValidationOptions } from 'class-validator';
import { Goal } from '../../analytics/goal-pattern';

export const GOAL_TYPES = ['event', 'page'] as const;
export type GoalType = (typeof GOAL_TYPES)[number];
export const MAX_EVENT_NAME_LENGTH = 120;
export const MAX_PAGE_PATH_LENGTH = 2000;
export const MAX_DISPLAY_NAME_LENGTH = 120;

const trimmed = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** Refuses the field (given and not null) unless goal_type is `type`, naming the field. */
function OnlyForGoalType(type: GoalType, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'onlyForGoalType',
      validator: {
        validate: (_value: unknown, args) => (args?.object as { goal_type?: unknown }).goal_type === type,
        defaultMessage: (args) => `${args?.property} is only for goal_type "${type}"`,
      },
    },
    options,
  );
}

export class CreateGoalDto {
  @ApiProperty({ enum: GOAL_TYPES, description: 'event: a custom event of this name; page: a pageview of a path matching page_path.' })
  @IsIn(GOAL_TYPES, { message: `goal_type must be one of: ${GOAL_TYPES.join(', ')}` })
  goal_type!: GoalType;

  @ApiPropertyOptional({ minLength: 1, maxLength: MAX_EVENT_NAME_LENGTH, example: 'Signup', description: 'Required for event goals, refused for page goals. Trimmed.' })
  @ValidateIf((goal: CreateGoalDto, value) => goal.goal_type === 'event' || value != null)
  @trimmed()
  @OnlyForGoalType('event')
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_EVENT_NAME_LENGTH)
  event_name?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_PAGE_PATH_LENGTH,
    example: '/blog/**',
    description: 'Required for page goals, refused for event goals. Starts with /; ** matches anything (/ included), * anything within one path segment. Trimmed.',
  })
  @ValidateIf((goal: CreateGoalDto, value) => goal.goal_type === 'page' || value != null)
  @trimmed()
  @OnlyForGoalType('page')
  @IsString()
  @MaxLength(MAX_PAGE_PATH_LENGTH)
  @Matches(/^\//, { message: 'page_path must start with /' })
  page_path?: string;

  @ApiPropertyOptional({
    minLength: 1,
    maxLength: MAX_DISPLAY_NAME_LENGTH,
    example: 'Signup',
    description: 'Unique within the website. Default: the event name, or "Visit <page_path>". Trimmed.',
  })
  @IsOptional()
  @trimmed()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  display_name?: string;
}

export class GoalDto implements Goal {
  @ApiProperty({ example: 'Qm7rT2xKp9Wd', description: 'Goal id (url-safe), unique within its website.' }) id!: string;
  @ApiProperty({ enum: GOAL_TYPES }) goal_type!: GoalType;
  @ApiProperty({ type: String, nullable: true, example: 'Signup', description: 'null for page goals.' }) event_name!: string | null;
  @ApiProperty({ type: String, nullable: true, example: null, description: 'null for event goals.' }) page_path!: string | null;
  @ApiProperty({ example: 'Signup' }) display_name!: string;
}

export class GoalListDto {
  @ApiProperty({ type: [GoalDto], description: 'Ordered by display_name.' }) data!: GoalDto[];
}
