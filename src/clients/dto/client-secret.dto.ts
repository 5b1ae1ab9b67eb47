import { ApiProperty } from '@nestjs/swagger';

/** Returned once, when the secret is made; the server keeps only its digest. */
export class ClientSecretDto {
  @ApiProperty({ example: 'gh_3q2-7wEAAAB3Lm9yZy9pZA' }) client_id!: string;
  @ApiProperty({ description: '256 random bits, base64url; shown only in this response' }) client_secret!: string;
}
