import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.guard';
import { ApiNoAuth } from '../common/api-security';
import { ApiUnsafeQueryResponse } from '../common/error-response.dto';

class HealthDto {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ required: false, description: 'Why the service is unavailable.' }) message?: string;
}

const CHECK_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly db: DataSource) {}

  @Get()
  @Public()
  @ApiNoAuth()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiResponse({ status: 200, type: HealthDto })
  @ApiUnsafeQueryResponse()
  @ApiResponse({ status: 503, type: HealthDto, description: 'Postgres does not answer' })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.db.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS))),
      ]);
      return { status: 'ok' };
    } catch {
      reply.status(503);
      return { status: 'unavailable', message: 'database unreachable' };
    } finally {
      clearTimeout(timer);
    }
  }
}
