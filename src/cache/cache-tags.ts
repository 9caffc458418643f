/**
 * What cached responses depend on, and so what a write names to make them stale.
 * A response is served only while the generation of each of its tags is unchanged.
 */
export const CacheTags = {
  /** Every cache entry: bumped after writes were lost while the store was down. */
  all: 'all',
  /** Every post list (feeds, filters, search, a user's posts). */
  posts: 'posts',
  post: (id: string) => `post:${id}`,
  comments: (postId: string) => `comments:${postId}`,
  /** Anything showing authors' names: posts, lists, comments. */
  authors: 'authors',
  /** The user list. */
  users: 'users',
  user: (id: string) => `user:${id}`,
  /** Ingredient lists, autocomplete and details (postsCount). */
  ingredients: 'ingredients',
} as const;
