import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class ShareSessionRequestDto {
  @ApiPropertyOptional({ type: String, maxLength: 1024, example: 'open sesame', description: "The link's password, when it has one." })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  password?: string | null;
}

export class SharedWebsiteDto {
  @ApiProperty({ example: 'k3Jd8aPq2xYz' }) id!: string;
  @ApiProperty({ example: 'Blog' }) name!: string;
  @ApiProperty({ example: 'example.com' }) domain!: string;
  @ApiProperty({ example: 'Europe/Berlin' }) timezone!: string;
}

export class ShareSessionDto {
  @ApiProperty({
    description: "Signed JWT (HS256) that reads this website's statistics and nothing else. Send as \"Authorization: Bearer <token>\".",
  })
  access_token!: string;

  @ApiProperty({ description: 'Seconds until the token expires; open a new session then.', example: 3600 })
  expires_in!: number;

  @ApiProperty({ type: SharedWebsiteDto }) website!: SharedWebsiteDto;
}
