import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LocalMediaStorage } from './local-media-storage';
import { MEDIA_STORAGE } from './media-storage';
import { S3MediaStorage } from './s3-media-storage';

@Global()
@Module({
  providers: [
    {
      provide: MEDIA_STORAGE,
      inject: [AppConfig],
      useFactory: ({ storage }: AppConfig) =>
        storage.driver === 's3' ? new S3MediaStorage(storage.s3) : new LocalMediaStorage(storage.mediaDir, storage.publicBaseUrl),
    },
  ],
  exports: [MEDIA_STORAGE],
})
export class StorageModule {}
