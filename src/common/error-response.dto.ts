import { ApiProperty, ApiResponse } from '@nestjs/swagger';

/** The error body of every management and query route. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400 })
  statusCode!: number;

  @ApiProperty({ example: 'Bad Request' })
  error!: string;

  @ApiProperty({
    description: 'What went wrong, for a person: one message or a list (one per invalid field).',
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['email must be an email'],
  })
  message!: string | string[];
}

/** The 400 of a route that takes no input of its own: any route refuses a query string holding NUL or a lone surrogate. */
export const ApiUnsafeQueryResponse = () =>
  ApiResponse({ status: 400, type: ErrorResponseDto, description: 'The query string holds a NUL character or an unpaired UTF-16 surrogate' });
