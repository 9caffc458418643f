/** Tags of answers showing posts and comments; retired by PostsCacheListener. */
export const PostTags = {
  /** Every post list (new, popular, filters, search, a user's posts, feeds, saved lists). */
  lists: 'posts',
  post: (id: string) => `post:${id}`,
  comments: (postId: string) => `comments:${postId}`,
  /** Anything showing authors' names or counts moved by an account's deletion: posts, lists, comments. */
  authors: 'authors',
} as const;
