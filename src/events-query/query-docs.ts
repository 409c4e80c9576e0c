import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ErrorResponseDto } from '../common/error-response.dto';

/** What every query controller documents: auth and the shared error answers. */
export const QueryApi = (tag: string) =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiResponse({ status: 400, type: ErrorResponseDto, description: 'Invalid dates, filters or parameters; the message says which and lists valid values.' }),
    ApiResponse({ status: 401, type: ErrorResponseDto, description: 'Missing, invalid, revoked or expired credentials.' }),
    ApiResponse({ status: 403, type: ErrorResponseDto, description: 'API key without the read scope, or limited to other websites.' }),
    ApiResponse({ status: 404, type: ErrorResponseDto, description: "Unknown website, or another organization's." }),
  );
