import { Injectable } from '@nestjs/common';
import type { ViewerFlagsSource, ViewerSlot } from '../common/viewer/viewer-slots';
import { SocialTags } from './social.cache-tags';
import { ViewerFlagsRepository } from './viewer-flags.repository';

/** What the response cache asks for a caller's flags on a page (see common/viewer). */
@Injectable()
export class ViewerFlagsService implements ViewerFlagsSource {
  constructor(private readonly repository: ViewerFlagsRepository) {}

  /** The tag a cached copy of this caller's flags depends on: moved by their own likes, saves and follows. */
  tagFor(callerId: string): string {
    return SocialTags.viewer(callerId);
  }

  async flagsFor(callerId: string, slots: ViewerSlot[]): Promise<number[]> {
    if (slots.length === 0) return [];
    const postIds = [...new Set(slots.filter((slot) => slot.kind === 'post').map((slot) => slot.id))];
    const userIds = [...new Set(slots.filter((slot) => slot.kind === 'user').map((slot) => slot.id))];
    const found = await this.repository.flags(callerId, postIds, userIds);
    const posts = new Map(postIds.map((id, i) => [id, found.posts[i]]));
    const users = new Map(userIds.map((id, i) => [id, found.users[i]]));
    return slots.map((slot) => (slot.kind === 'post' ? posts.get(slot.id) : users.get(slot.id)) ?? 0);
  }
}
