import { ApiProperty } from '@nestjs/swagger';

export class TokenDto {
  @ApiProperty({ description: 'JWT for `Authorization: Bearer …`.', example: 'eyJhbGciOiJIUzI1NiIs…' })
  accessToken: string;

  @ApiProperty({ description: 'Opaque; single use: each refresh returns a new one.', example: 'q3Zf9yq0c2J3oX6l2cR3Kk8o2q4mWmZ0sE0Yq1oN5Ek' })
  refreshToken: string;

  @ApiProperty({ enum: ['Bearer'], example: 'Bearer' })
  tokenType: 'Bearer';

  @ApiProperty({ type: 'integer', description: 'Seconds until the access token expires.', example: 900 })
  expiresIn: number;
}

export class MessageDto {
  @ApiProperty({ example: 'If an account exists for this address, an e-mail is on its way.' })
  message: string;
}
