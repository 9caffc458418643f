/** Tags of photo answers; retired by PhotosCacheListener. */
export const PhotoTags = {
  photo: (id: string) => `photo:${id}`,
  /** A post's photo list. */
  ofPost: (postId: string) => `photos:${postId}`,
} as const;
