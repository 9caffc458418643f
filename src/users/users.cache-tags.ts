/** Tags of answers showing users; retired by UsersCacheListener. */
export const UserTags = {
  /** Every list of users (all users, followers, following): any user's name or count moved. */
  lists: 'users',
  user: (id: string) => `user:${id}`,
  /** Every profile: for changes reaching profiles nobody listed (an account's deletion moves its follows' counts). */
  profiles: 'profiles',
} as const;
