import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CreateWebsiteDto, UpdateWebsiteDto, WebsiteDto, WebsiteListDto } from './dto/website.dto';
import { WebsitesService } from './websites.service';

@ApiTags('websites')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('api/websites')
export class WebsitesController {
  constructor(private readonly websites: WebsitesService) {}

  @Post()
  @ApiOperation({ summary: 'Create a website (member role or above)' })
  @ApiResponse({ status: 201, type: WebsiteDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto, description: 'Unknown organization' })
  create(@CurrentPrincipal() p: Principal, @Body() dto: CreateWebsiteDto): Promise<WebsiteDto> {
    return this.websites.create(p, dto);
  }

  @Get()
  @AllowApiKey('read')
  @ApiOperation({ summary: "Websites of the caller's organizations" })
  @ApiResponse({ status: 200, type: WebsiteListDto })
  async list(@CurrentPrincipal() p: Principal): Promise<WebsiteListDto> {
    return { data: await this.websites.list(p) };
  }

  @Get(':id')
  @AllowApiKey('read')
  @ApiOperation({ summary: 'One website' })
  @ApiResponse({ status: 200, type: WebsiteDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<WebsiteDto> {
    return this.websites.get(p, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change name, domain, time zone, public collection or retention (member role or above)', description: 'Every field is optional: an omitted field keeps its value.' })
  @ApiResponse({ status: 200, type: WebsiteDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  update(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: UpdateWebsiteDto): Promise<WebsiteDto> {
    return this.websites.update(p, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a website and all its data (member role or above)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async delete(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<void> {
    await this.websites.delete(p, id);
  }
}
