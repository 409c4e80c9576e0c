import { applyDecorators, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';
import { QueryLoadInterceptor } from './query-load.interceptor';

/** What every query controller documents (auth and the shared error answers) and its admission through the query gate. */
export const QueryApi = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Invalid dates, filters or parameters; the message says which and lists valid values.' }),
    ApiResponse({ status: 401, type: ErrorResponseDto, description: 'Missing, invalid, revoked or expired credentials.' }),
    ApiResponse({ status: 403, type: ErrorResponseDto, description: 'API key without the read scope, or limited to other websites.' }),
    ApiResponse({ status: 404, type: ErrorResponseDto, description: "Unknown website, or another organization's." }),
    ApiResponse({ status: 409, type: ErrorResponseDto, description: "The website's stored time zone is unknown to the database; update the website." }),
    ApiResponse({ status: 429, type: ErrorResponseDto, description: "Too many of the organization's queries in flight; retry after Retry-After seconds." }),
    ApiResponse({ status: 503, type: ErrorResponseDto, description: 'The query service is busy, or the query ran over its time budget; retry after Retry-After seconds.' }),
    UseInterceptors(QueryLoadInterceptor),
  );
