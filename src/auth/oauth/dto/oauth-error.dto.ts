import { ApiProperty } from '@nestjs/swagger';
import { OAUTH_ERRORS } from '../../../common/http/http-errors.js';

/** RFC 6749 §5.2: every error of the OAuth endpoints has this body. */
export class OAuthErrorDto {
  @ApiProperty({ enum: OAUTH_ERRORS })
  error!: string;

  @ApiProperty({ description: 'What was wrong, for the developer (never shown to end users as is)' })
  error_description!: string;
}
