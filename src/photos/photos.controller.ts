import { Controller, Delete, Get, HttpCode, HttpStatus, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated, CurrentCaller } from '../auth/sessions/authenticated.decorator';
import type { Caller } from '../auth/sessions/sessions.service';
import { CacheResponse } from '../cache/cache-response.decorator';
import { ApiProblems } from '../common/http/api-problems.decorator';
import { AcceptsUploads } from '../common/http/multipart';
import { ApiUuidParam, UuidParam } from '../common/http/uuid-param.decorator';
import { PhotoDto, PhotoListDto } from './dto/photo.dto';
import { PhotoTags } from './photos.cache-tags';
import { PhotosService } from './photos.service';

const NO_PHOTO: [number, string] = [404, 'No such photo.'];

@ApiTags('photos')
@ApiProblems(400, 503)
@Controller()
export class PhotosController {
  constructor(private readonly photos: PhotosService) {}

  @Post('posts/:id/photos')
  @AcceptsUploads()
  @Authenticated()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    operationId: 'uploadPhoto',
    summary: 'Add a photo to a recipe',
    description:
      'One `multipart/form-data` part named `file`: JPEG, PNG, WebP or AVIF, decided by its content. Answers at once with the photo `pending`; ' +
      'a background worker makes WebP variants (thumb 320 px, large 1280 px wide, upright, without metadata) and marks it `ready` or `failed`. ' +
      'Poll `Location` (or the post) to see it. Author only.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiAcceptedResponse({ type: PhotoDto, description: 'Stored; processing follows.', headers: { Location: { description: 'The photo’s URL.', schema: { type: 'string' } } } })
  @ApiUuidParam('id', 'The post’s id.')
  @ApiProblems(
    [403, 'Only the post’s author may add photos.'],
    [404, 'No such post.'],
    [409, 'The recipe has as many photos as it may have (PHOTOS_PER_POST).'],
    [413, 'The file is larger than PHOTO_MAX_BYTES.'],
    [415, 'Not multipart/form-data, or the file is not a JPEG, PNG, WebP or AVIF image.'],
  )
  async upload(@CurrentCaller() caller: Caller, @UuidParam('id') postId: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const photo = await this.photos.upload(caller, postId, request);
    void reply.header('Location', `/api/v1/photos/${photo.id}`);
    return photo;
  }

  @Get('photos/:id')
  @CacheResponse(PhotoDto, { tags: ({ id }) => [PhotoTags.photo(id)] })
  @ApiOperation({ operationId: 'getPhoto', summary: 'A photo', description: 'Its processing status and, once `ready`, its variants’ URLs.' })
  @ApiUuidParam('id', 'The photo’s id.')
  @ApiProblems(NO_PHOTO)
  get(@UuidParam('id') id: string) {
    return this.photos.get(id);
  }

  @Get('posts/:id/photos')
  @CacheResponse(PhotoListDto, { tags: ({ id }) => [PhotoTags.ofPost(id)] })
  @ApiOperation({ operationId: 'listPostPhotos', summary: 'A recipe’s photos', description: 'Every status, in upload order.' })
  @ApiUuidParam('id', 'The post’s id.')
  @ApiProblems([404, 'No such post.'])
  list(@UuidParam('id') postId: string) {
    return this.photos.listForPost(postId);
  }

  @Delete('photos/:id')
  @Authenticated()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ operationId: 'deletePhoto', summary: 'Delete a photo', description: 'Its files go too. The post’s author only.' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiUuidParam('id', 'The photo’s id.')
  @ApiProblems([403, 'Only the post’s author may delete its photos.'], NO_PHOTO)
  delete(@CurrentCaller() caller: Caller, @UuidParam('id') id: string) {
    return this.photos.delete(caller, id);
  }
}
