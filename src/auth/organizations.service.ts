import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal, UserPrincipal } from './principal';
import { TenancyRepository } from './users.repository';
import { AddMemberDto, MemberDto } from './dto/organizations.dto';
import { OrganizationWithRoleDto } from './dto/auth.dto';

@Injectable()
export class OrganizationsService {
  constructor(private readonly tenancy: TenancyRepository) {}

  list(p: UserPrincipal): Promise<OrganizationWithRoleDto[]> {
    return this.tenancy.organizationsOf(p.userId);
  }

  /** The creator becomes the owner. */
  create(p: UserPrincipal, name: string): Promise<{ id: string; name: string }> {
    return this.tenancy.createOrganization(name.trim(), p.userId);
  }

  async listMembers(p: Principal, organizationId: string): Promise<MemberDto[]> {
    assertCan(p, organizationId, 'read', 'Organization');
    const rows = await this.tenancy.listMembers(organizationId);
    return rows.map((r) => ({ ...r, created_at: r.created_at.toISOString() }));
  }

  async addMember(p: Principal, organizationId: string, dto: AddMemberDto): Promise<MemberDto> {
    assertCan(p, organizationId, 'manage_members', 'Organization');
    const user = await this.tenancy.findUserByEmail(dto.email.trim());
    if (!user) throw new NotFoundException('No user with this email; they must sign up first');
    const current = await this.tenancy.memberRole(organizationId, user.id);
    if (current === 'owner' && dto.role !== 'owner' && (await this.tenancy.countOwners(organizationId)) <= 1) {
      throw new BadRequestException('An organization must keep at least one owner');
    }
    await this.tenancy.upsertMember(organizationId, user.id, dto.role);
    const member = (await this.tenancy.listMembers(organizationId)).find((m) => m.user_id === user.id)!;
    return { ...member, created_at: member.created_at.toISOString() };
  }

  async removeMember(p: Principal, organizationId: string, userId: string): Promise<void> {
    assertCan(p, organizationId, 'manage_members', 'Organization');
    const role = await this.tenancy.memberRole(organizationId, userId);
    if (!role) throw new NotFoundException('Member not found');
    if (role === 'owner' && (await this.tenancy.countOwners(organizationId)) <= 1) {
      throw new BadRequestException('An organization must keep at least one owner');
    }
    await this.tenancy.removeMember(organizationId, userId);
  }
}
