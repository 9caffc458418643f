import type { Account } from './accounts';
import type { TestApp } from './test-app';

/** A valid PostInput with overrides. */
export function postInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Tomato and basil bruschetta',
    body: 'Toast the bread, rub it with garlic, top with chopped tomatoes and basil.',
    complexity: 'easy',
    cookingTimeMinutes: 15,
    servings: 4,
    ingredients: [
      { name: 'tomato', quantity: '4' },
      { name: 'basil', quantity: 'a handful' },
      { name: 'bread' },
    ],
    ...overrides,
  };
}

export async function createPost(t: TestApp, author: Account, overrides: Record<string, unknown> = {}) {
  const response = await t.http.post('/api/v1/posts', postInput(overrides), { token: author.accessToken });
  if (response.status !== 201) throw new Error(`create post: ${response.status} ${response.text}`);
  return response.body;
}
