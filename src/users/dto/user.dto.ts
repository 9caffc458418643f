import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RawJson } from '../../common/json/raw-json';
import { rawWithSlot, VIEWER_FLAG_NOTE, viewerSlot } from '../../common/viewer/viewer-slots';
import type { PublicUserItemRow, UserRow } from '../users.repository';

/** What anyone may see of an active user. Never the e-mail, never a password field. */
export class PublicUserDto {
  @ApiProperty({ format: 'uuid', example: '4f6b3a5e-2f7d-4a8e-9d53-2c0f5b6c1a11' })
  id: string;

  @ApiProperty({ maxLength: 100, example: 'Ada' })
  firstName: string;

  @ApiProperty({ maxLength: 100, example: 'Lovelace' })
  lastName: string;

  @ApiProperty({ maxLength: 1000, example: 'Bakes bread on Sundays.' })
  bio: string;

  @ApiProperty({ format: 'date-time', example: '2026-11-22T10:00:00.000Z' })
  createdAt: string;

  @ApiProperty({ type: 'integer', minimum: 0, example: 3, description: 'Published recipes.' })
  postsCount: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 12, description: 'Users following this one.' })
  followersCount: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 5, description: 'Users this one follows.' })
  followingCount: number;

  @ApiPropertyOptional({ description: VIEWER_FLAG_NOTE('Whether the caller follows this user') })
  following?: boolean;
}

/** The account as its owner sees it. */
export class UserDto extends PublicUserDto {
  @ApiProperty({ format: 'email', maxLength: 254, example: 'ada@example.com' })
  email: string;

  @ApiProperty({ description: 'False until the e-mail address is confirmed.', example: true })
  isActive: boolean;
}

/** Carries a viewer slot: answers to a signed-in caller get `following` filled in (see common/viewer). */
export function toPublicUserDto(user: UserRow): PublicUserDto {
  return viewerSlot<PublicUserDto>(
    {
      id: user.id,
      firstName: user.firstName,
      lastName: user.lastName,
      bio: user.bio,
      createdAt: user.createdAt.toISOString(),
      postsCount: user.postsCount,
      followersCount: user.followersCount,
      followingCount: user.followingCount,
    },
    'user',
    user.id,
  );
}

/** A list's user: PostgreSQL wrote its JSON (the fields of toPublicUserDto, in its order); the viewer slot as there. */
export function toPublicUserItem(row: PublicUserItemRow): RawJson<PublicUserDto> {
  return rawWithSlot<PublicUserDto>(row.json, 'user', row.id);
}

export function toUserDto(user: UserRow): UserDto {
  return Object.assign(toPublicUserDto(user), { email: user.email, isActive: user.isActive });
}
