import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CreateSharedLinkDto, SharedLinkDto, SharedLinkListDto } from './dto/shared-link.dto';
import { SharedLinksService } from './shared-links.service';

@ApiTags('shared links')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@ApiResponse({ status: 403, type: ErrorResponseDto, description: 'Member or viewer role, or an API key' })
@ApiResponse({ status: 404, type: ErrorResponseDto })
@Controller('api/websites/:id/shared-links')
export class SharedLinksController {
  constructor(private readonly links: SharedLinksService) {}

  @Post()
  @ApiOperation({ summary: "Create a read-only link to the website's dashboard, optionally with a password (owner or admin)" })
  @ApiResponse({ status: 201, type: SharedLinkDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  create(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: CreateSharedLinkDto): Promise<SharedLinkDto> {
    return this.links.create(p, id, dto);
  }

  @Get()
  @ApiOperation({ summary: "The website's shared links, with their tokens, newest first (owner or admin)" })
  @ApiResponse({ status: 200, type: SharedLinkListDto })
  async list(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<SharedLinkListDto> {
    return { data: await this.links.list(p, id) };
  }

  @Delete(':link_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a shared link: the link and every session opened with it stop at once (owner or admin)' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  async delete(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('link_id') linkId: string): Promise<void> {
    await this.links.delete(p, id, linkId);
  }
}
