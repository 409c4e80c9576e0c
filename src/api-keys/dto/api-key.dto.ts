import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { SCOPES, Scope } from '../../auth/principal';

export class CreateApiKeyDto {
  @ApiProperty({ maxLength: 200, example: 'Backend server' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Owning organization; optional when the caller belongs to exactly one.' })
  @IsOptional()
  @IsUUID('all', { message: 'organization_id must be a UUID' })
  organization_id?: string;

  @ApiProperty({ enum: SCOPES, isArray: true, example: ['ingest'], description: 'ingest: send events; read: query analytics.' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(SCOPES as Scope[], { each: true, message: `each scope must be one of: ${SCOPES.join(', ')}` })
  scopes!: Scope[];

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'Limit the key to these websites; omit or null for every website of the organization.' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @ArrayUnique()
  @IsString({ each: true })
  website_ids?: string[] | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When the key stops working (ISO 8601); must be in the future. Omit or null: never.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'expires_at must be an ISO 8601 date-time' })
  expires_at?: string | null;
}

export class ApiKeyDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'ff_live_Ab12Cd', description: 'The first characters of the key, to tell keys apart.' }) prefix!: string;
  @ApiProperty({ enum: SCOPES, isArray: true }) scopes!: Scope[];
  @ApiProperty({ type: [String], nullable: true }) website_ids!: string[] | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) expires_at!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) last_used_at!: string | null;
  @ApiProperty({ format: 'uuid' }) organization_id!: string;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The key itself. Shown only in this response: store it now.', example: 'ff_live_...' })
  key!: string;
}

export class ApiKeyListDto {
  @ApiProperty({ type: [ApiKeyDto] }) data!: ApiKeyDto[];
}
