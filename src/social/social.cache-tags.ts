/** Tags of answers that depend on one caller's social graph; retired by SocialCacheListener. */
export const SocialTags = {
  /** The caller's feed: whom they follow (posts themselves are PostTags.lists). */
  feed: (userId: string) => `feed:${userId}`,
  /** The caller's saved list: what they saved. */
  saved: (userId: string) => `saved:${userId}`,
  /** The caller's viewer flags on any answer: what they like, saved and follow. */
  viewer: (userId: string) => `viewer:${userId}`,
} as const;
