import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { ShieldsDto } from './dto/shields.dto';
import { ShieldsService } from './shields.service';

@ApiTags('shields')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@ApiResponse({ status: 403, type: ErrorResponseDto })
@ApiResponse({ status: 404, type: ErrorResponseDto })
@Controller('api/websites/:id/shields')
export class ShieldsController {
  constructor(private readonly shields: ShieldsService) {}

  @Get()
  @AllowApiKey('read')
  @ApiOperation({ summary: "The website's shields: traffic that is dropped, not counted (any role; API keys with read)" })
  @ApiResponse({ status: 200, type: ShieldsDto })
  get(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<ShieldsDto> {
    return this.shields.get(p, id);
  }

  @Put()
  @ApiOperation({ summary: 'Replace every list of the website\'s shields; effective at once on every instance (member role or above)' })
  @ApiResponse({ status: 200, type: ShieldsDto, description: 'The shields as stored (normalised, duplicates dropped)' })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'A list missing or too long, or an entry that is not valid, named with its index' })
  replace(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: ShieldsDto): Promise<ShieldsDto> {
    return this.shields.replace(p, id, dto);
  }
}
