import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';

export class CreateWebsiteDto {
  @ApiProperty({ maxLength: 200, example: 'Marketing site' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiProperty({ maxLength: 253, example: 'example.com', description: 'Hostname of the site; a URL is accepted and reduced to its hostname.' })
  @IsString()
  @MaxLength(2048)
  domain!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Owning organization; optional when the caller belongs to exactly one.' })
  @IsOptional()
  @IsUUID('all', { message: 'organization_id must be a UUID' })
  organization_id?: string;

  // Defaults are told in words: generated clients read a `default` as "always present", making it required.
  @ApiPropertyOptional({ example: 'Europe/Berlin', description: 'IANA time zone; dates in queries are days in this zone. UTC when the website is created without one.' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiPropertyOptional({ description: 'Accept anonymous browser collects (public website id, no key). On when the website is created without it.' })
  @IsOptional()
  @IsBoolean()
  public_collect?: boolean;

  @ApiPropertyOptional({ type: 'integer', nullable: true, minimum: 1, maximum: 36500, description: 'Delete events older than this many days (hourly); null keeps them forever (as when the website is created without it).' })
  @ValidateIf((_, v) => v !== null && v !== undefined)
  @IsInt({ message: 'retention_days must be a whole number of days, or null' })
  @Min(1)
  @Max(36500)
  retention_days?: number | null;
}

// Omitted fields stay as they are; null is refused (but retention_days allows it on its own).
export class UpdateWebsiteDto extends PartialType(OmitType(CreateWebsiteDto, ['organization_id'] as const), { skipNullProperties: false }) {}

export class WebsiteDto {
  @ApiProperty({ example: 'k3Jd8aPq2xYz', description: 'Public website id (url-safe, <= 64 chars).' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'example.com' }) domain!: string;
  @ApiProperty({ format: 'uuid' }) organization_id!: string;
  @ApiProperty({ example: 'UTC' }) timezone!: string;
  @ApiProperty() public_collect!: boolean;
  @ApiProperty({ type: 'integer', nullable: true, description: 'Days events are kept; null: forever.' }) retention_days!: number | null;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class WebsiteListDto {
  @ApiProperty({ type: [WebsiteDto] }) data!: WebsiteDto[];
}
