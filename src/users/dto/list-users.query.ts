import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageDto, PageQueryDto } from '../../common/pagination/page.dto';
import { PublicUserDto } from './user.dto';

export class ListUsersQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 100000, description: 'For simple clients: skip this many users instead of passing a cursor.' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000)
  offset?: number;
}

export const PublicUserPageDto = PageDto(PublicUserDto, 'PublicUserPage');
