import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export const MIN_SHARE_PASSWORD_LENGTH = 8;

export class CreateSharedLinkDto {
  @ApiPropertyOptional({ type: String, minLength: 1, maxLength: 200, example: 'Investors', description: 'To tell links apart. Trimmed.' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  label?: string | null;

  @ApiPropertyOptional({
    type: String,
    minLength: MIN_SHARE_PASSWORD_LENGTH,
    maxLength: 1024,
    example: 'open sesame',
    description: 'Asked before the dashboard opens; stored as an argon2id hash. Omit for a link that opens without one.',
  })
  @IsOptional()
  @IsString()
  @MinLength(MIN_SHARE_PASSWORD_LENGTH, { message: `password must be at least ${MIN_SHARE_PASSWORD_LENGTH} characters` })
  @MaxLength(1024)
  password?: string | null;
}

export class SharedLinkDto {
  @ApiProperty({ example: 'Hq4mZt8Rk2Wx', description: 'Link id (url-safe), unique within its website.' }) id!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Investors' }) label!: string | null;
  @ApiProperty({ example: 'bW9yZS1yYW5kb20tYnl0ZXMtdGhhbi1hbnlvbmUtZ3Vlc3Nlcw', description: 'The secret part of the link: 43 url-safe characters.' })
  token!: string;
  @ApiProperty({ example: '/share/bW9yZS1yYW5kb20tYnl0ZXMtdGhhbi1hbnlvbmUtZ3Vlc3Nlcw', description: "The dashboard page of the link, on Footfall's own origin." })
  url!: string;
  @ApiProperty({ description: 'Whether the link asks for a password.' }) has_password!: boolean;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class SharedLinkListDto {
  @ApiProperty({ type: [SharedLinkDto], description: 'Newest first.' }) data!: SharedLinkDto[];
}
