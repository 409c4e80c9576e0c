import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { ROLES, Role } from '../principal';
import { OrganizationWithRoleDto } from './auth.dto';

export class CreateOrganizationDto {
  @ApiProperty({ maxLength: 200, example: 'Acme' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

export class OrganizationListDto {
  @ApiProperty({ type: [OrganizationWithRoleDto] }) data!: OrganizationWithRoleDto[];
}

export class AddMemberDto {
  @ApiProperty({ example: 'grace@example.com', description: 'Email of an existing Footfall user.' })
  @IsEmail({}, { message: 'email must be a valid email address' })
  email!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES as Role[], { message: `role must be one of: ${ROLES.join(', ')}` })
  role!: Role;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' }) user_id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ format: 'date-time' }) created_at!: string;
}

export class MemberListDto {
  @ApiProperty({ type: [MemberDto] }) data!: MemberDto[];
}
