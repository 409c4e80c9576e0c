import { Controller, Delete, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.guard';
import { assertCan, Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { WebsitesService } from '../websites/websites.service';
import { PrivacyRepository } from './privacy.repository';

class ErasureDto {
  @ApiProperty({ description: 'Events deleted.' }) events!: number;
  @ApiProperty({ description: 'Visits (sessions) deleted.' }) sessions!: number;
}

@ApiTags('privacy')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('api/websites/:id/visitors')
export class PrivacyController {
  constructor(
    private readonly websites: WebsitesService,
    private readonly privacy: PrivacyRepository,
  ) {}

  @Delete(':visitor_id')
  @ApiOperation({ summary: "Erase one visitor's events and visits (GDPR Art. 17); owner or admin" })
  @ApiResponse({ status: 200, type: ErasureDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown website, or another organization\'s' })
  async erase(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('visitor_id') visitorId: string): Promise<ErasureDto> {
    const site = await this.websites.getReadable(p, id);
    assertCan(p, site.organization_id, 'manage_data', 'Website');
    return this.privacy.eraseVisitor(site.id, visitorId);
  }
}
