import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../principal';
import { MIN_PASSWORD_LENGTH } from '../password-policy';
import { IsAcceptablePassword } from './is-acceptable-password.decorator';

export class SignupDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 320 })
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({
    minLength: MIN_PASSWORD_LENGTH,
    maxLength: 1024,
    example: 'correct horse battery',
    description: 'Not only whitespace, not one repeated character, not a common password.',
  })
  @IsString()
  @MinLength(MIN_PASSWORD_LENGTH, { message: `password must be at least ${MIN_PASSWORD_LENGTH} characters` })
  @MaxLength(1024)
  @IsAcceptablePassword()
  password!: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Ada Lovelace' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ maxLength: 200, example: 'Analytical Engines Ltd', description: 'Name of the organization created with the account.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  organization_name?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' })
  @IsString()
  @MaxLength(320)
  email!: string;

  @ApiProperty({ example: 'correct horse battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class TokenResponseDto {
  @ApiProperty({ description: 'Signed JWT (HS256). Send as "Authorization: Bearer <token>".' })
  access_token!: string;

  @ApiProperty({ enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ description: 'Seconds until the token expires.', example: 3600 })
  expires_in!: number;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
}

export class OrganizationDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
}

export class SignupResponseDto extends TokenResponseDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: OrganizationDto }) organization!: OrganizationDto;
}

export class OrganizationWithRoleDto extends OrganizationDto {
  @ApiProperty({ enum: ROLES }) role!: Role;
}

export class MeResponseDto extends UserDto {
  @ApiProperty({ type: [OrganizationWithRoleDto] }) organizations!: OrganizationWithRoleDto[];
}
