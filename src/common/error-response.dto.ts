import { ApiProperty } from '@nestjs/swagger';

/** The error body of every 4xx and 5xx answer (NestJS shape). */
export class ErrorResponseDto {
  /** HTTP status code. */
  @ApiProperty({ example: 400 })
  statusCode: number;

  /** HTTP reason phrase. */
  @ApiProperty({ example: 'Bad Request' })
  error: string;

  /** What went wrong: one message, or one per invalid field. */
  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: ['media_url must be an http, https or s3 URL'],
  })
  message: string | string[];
}
