import { ApiProperty } from '@nestjs/swagger';

/** RFC 6749 §5.2: every error of the OAuth endpoints has this body. */
export class OAuthErrorDto {
  @ApiProperty({
    enum: [
      'invalid_request',
      'invalid_client',
      'invalid_grant',
      'unauthorized_client',
      'unsupported_grant_type',
      'invalid_scope',
      'unsupported_token_type',
      'insufficient_scope',
      'temporarily_unavailable',
      'server_error',
    ],
  })
  error!: string;

  @ApiProperty({ description: 'What was wrong, for the developer (never shown to end users as is)' })
  error_description!: string;
}
