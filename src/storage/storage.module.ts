import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LocalMediaStorage } from './local-media-storage';
import { MEDIA_STORAGE } from './media-storage';

@Global()
@Module({
  providers: [{ provide: MEDIA_STORAGE, inject: [AppConfig], useFactory: (config: AppConfig) => new LocalMediaStorage(config.photos.mediaDir, config.appUrl) }],
  exports: [MEDIA_STORAGE],
})
export class StorageModule {}
