import { ApiProperty } from '@nestjs/swagger';

export class FollowStateDto {
  @ApiProperty({ description: 'Whether the caller follows the user now.', example: true })
  following: boolean;

  @ApiProperty({ type: 'integer', minimum: 0, example: 13, description: 'The user’s followers after this change.' })
  followersCount: number;
}

export class SaveStateDto {
  @ApiProperty({ description: 'Whether the recipe is in the caller’s saved list now.', example: true })
  saved: boolean;
}
