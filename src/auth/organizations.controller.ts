import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CurrentPrincipal } from './auth.guard';
import { UserPrincipal } from './principal';
import { OrganizationsService } from './organizations.service';
import { OrganizationDto } from './dto/auth.dto';
import { AddMemberDto, CreateOrganizationDto, MemberDto, MemberListDto, OrganizationListDto } from './dto/organizations.dto';

// Unknown or malformed ids are simply not found: a 400 would tell ids apart from other tenants'.
const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

@ApiTags('organizations')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('api/organizations')
export class OrganizationsController {
  constructor(private readonly orgs: OrganizationsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's organizations with their role in each" })
  @ApiResponse({ status: 200, type: OrganizationListDto })
  async list(@CurrentPrincipal() p: UserPrincipal): Promise<OrganizationListDto> {
    return { data: await this.orgs.list(p) };
  }

  @Post()
  @ApiOperation({ summary: 'Create an organization; the caller becomes its owner' })
  @ApiResponse({ status: 201, type: OrganizationDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  create(@CurrentPrincipal() p: UserPrincipal, @Body() dto: CreateOrganizationDto): Promise<OrganizationDto> {
    return this.orgs.create(p, dto.name);
  }

  @Get(':id/members')
  @ApiOperation({ summary: 'Members of an organization (any member may list)' })
  @ApiResponse({ status: 200, type: MemberListDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async members(@CurrentPrincipal() p: UserPrincipal, @Param('id', uuid) id: string): Promise<MemberListDto> {
    return { data: await this.orgs.listMembers(p, id) };
  }

  @Post(':id/members')
  @ApiOperation({ summary: 'Add an existing user to the organization, or change their role (owner/admin only; only an owner grants, changes or removes the owner role; admins manage admins, members and viewers)' })
  @ApiResponse({ status: 201, type: MemberDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'Not an owner or admin; or an admin touching the owner role' })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown organization, or no user with this email' })
  addMember(@CurrentPrincipal() p: UserPrincipal, @Param('id', uuid) id: string, @Body() dto: AddMemberDto): Promise<MemberDto> {
    return this.orgs.addMember(p, id, dto);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a member (owner/admin only; only an owner removes an owner, and the last owner stays)' })
  @ApiResponse({ status: 204, description: 'Removed' })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto, description: 'Not an owner or admin; or an admin removing an owner' })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async removeMember(
    @CurrentPrincipal() p: UserPrincipal,
    @Param('id', uuid) id: string,
    @Param('userId', uuid) userId: string,
  ): Promise<void> {
    await this.orgs.removeMember(p, id, userId);
  }
}
