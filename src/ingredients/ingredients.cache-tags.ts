/** Tags of ingredient answers; retired by IngredientsCacheListener. */
export const IngredientTags = {
  /** Ingredient lists, autocomplete and details (postsCount). */
  all: 'ingredients',
} as const;
