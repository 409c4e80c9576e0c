import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AllowApiKey, AllowSharedLink, CurrentPrincipal } from '../auth/auth.guard';
import { Principal } from '../auth/principal';
import { ErrorResponseDto } from '../common/error-response.dto';
import { CreateGoalDto, GoalDto, GoalListDto } from './dto/goal.dto';
import { GoalsService } from './goals.service';

@ApiTags('goals')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorResponseDto })
@Controller('api/websites/:id/goals')
export class GoalsController {
  constructor(private readonly goals: GoalsService) {}

  @Get()
  @AllowApiKey('read')
  @AllowSharedLink()
  @ApiOperation({ summary: "The website's goals, ordered by display_name (any role; API keys with read)" })
  @ApiResponse({ status: 200, type: GoalListDto })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async list(@CurrentPrincipal() p: Principal, @Param('id') id: string): Promise<GoalListDto> {
    return { data: await this.goals.list(p, id) };
  }

  @Post()
  @ApiOperation({ summary: 'Add a goal: a custom event by name, or pageviews of a path with wildcards (member role or above)' })
  @ApiResponse({ status: 201, type: GoalDto })
  @ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Invalid field, or the website has 1000 goals' })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  @ApiResponse({ status: 409, type: ErrorResponseDto, description: 'A goal for the same event name or page path, or with the same display_name, exists' })
  create(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Body() dto: CreateGoalDto): Promise<GoalDto> {
    return this.goals.create(p, id, dto);
  }

  @Delete(':goal_id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a goal (member role or above)' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiResponse({ status: 403, type: ErrorResponseDto })
  @ApiResponse({ status: 404, type: ErrorResponseDto })
  async delete(@CurrentPrincipal() p: Principal, @Param('id') id: string, @Param('goal_id') goalId: string): Promise<void> {
    await this.goals.delete(p, id, goalId);
  }
}
