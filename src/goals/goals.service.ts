import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { assertCan, Principal } from '../auth/principal';
import { newPublicId } from '../common/public-id';
import { WebsiteRow } from '../websites/websites.repository';
import { WebsitesService } from '../websites/websites.service';
import { CreateGoalDto, GoalDto, MAX_DISPLAY_NAME_LENGTH } from './dto/goal.dto';
import { Goal } from '../analytics/goal-pattern';
import { GoalsRepository, InsertRefusal } from './goals.repository';

export const MAX_GOALS_PER_WEBSITE = 1000;
const PAGE_GOAL_PREFIX = 'Visit ';

function refusal(reason: InsertRefusal, goal: Goal): Error {
  switch (reason) {
    case 'website_gone':
      return new NotFoundException('Website not found');
    case 'limit_reached':
      return new BadRequestException([`A website has at most ${MAX_GOALS_PER_WEBSITE} goals; delete one first`]);
    case 'goal_exists':
      return new ConflictException(
        goal.goal_type === 'event' ? `An event goal with event_name "${goal.event_name}" already exists` : `A page goal with page_path "${goal.page_path}" already exists`,
      );
    case 'display_name_taken':
      return new ConflictException(`A goal with display_name "${goal.display_name}" already exists`);
  }
}

@Injectable()
export class GoalsService {
  constructor(
    private readonly websites: WebsitesService,
    private readonly goals: GoalsRepository,
  ) {}

  async list(p: Principal, websiteId: string): Promise<GoalDto[]> {
    const site = await this.websites.getReadable(p, websiteId);
    return this.goals.list(site.id);
  }

  async create(p: Principal, websiteId: string, dto: CreateGoalDto): Promise<GoalDto> {
    const site = await this.writableWebsite(p, websiteId);
    const eventName = dto.goal_type === 'event' ? dto.event_name! : null;
    const pagePath = dto.goal_type === 'page' ? dto.page_path! : null;
    const goal: Goal = {
      id: newPublicId(),
      goal_type: dto.goal_type,
      event_name: eventName,
      page_path: pagePath,
      display_name: dto.display_name ?? defaultDisplayName(eventName, pagePath),
    };
    const stored = await this.goals.insert(site.id, goal, MAX_GOALS_PER_WEBSITE);
    if (typeof stored === 'string') throw refusal(stored, goal);
    return stored;
  }

  async delete(p: Principal, websiteId: string, goalId: string): Promise<void> {
    const site = await this.writableWebsite(p, websiteId);
    const deleted = goalId.length <= 64 && (await this.goals.delete(site.id, goalId));
    if (!deleted) throw new NotFoundException('Goal not found');
  }

  /** The website's goals, for callers that have already checked access (the query engine). */
  forWebsite(websiteId: string): Promise<Goal[]> {
    return this.goals.list(websiteId);
  }

  /** Like the website routes: members and above change goals; viewers and API keys only read. */
  private async writableWebsite(p: Principal, websiteId: string): Promise<WebsiteRow> {
    const site = await this.websites.getReadable(p, websiteId);
    assertCan(p, site.organization_id, 'manage_websites', 'Website');
    return site;
  }
}

function defaultDisplayName(eventName: string | null, pagePath: string | null): string {
  if (eventName !== null) return eventName;
  const name = PAGE_GOAL_PREFIX + pagePath;
  if (name.length > MAX_DISPLAY_NAME_LENGTH) {
    const longest = MAX_DISPLAY_NAME_LENGTH - PAGE_GOAL_PREFIX.length;
    throw new BadRequestException([`display_name is required when page_path is longer than ${longest} characters (the default "Visit <page_path>" would be too long)`]);
  }
  return name;
}
