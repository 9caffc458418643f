// A frontend's first hour with Chop-chop, written against types generated from /openapi.json
// (openapi-typescript) with openapi-fetch. test/typed-client.e2e-spec.ts generates the types,
// type-checks this file strictly, then runs it against the live API.
import createClient from 'openapi-fetch';
import type { paths } from './generated/api';

export interface ScenarioResult {
  userId: string;
  postId: string;
  quantity: string | null | undefined;
  listed: string[];
  likes: number;
  commentId: string;
}

function must<T>(answer: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (answer.data === undefined) throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  return answer.data;
}

export async function runScenario(baseUrl: string, confirmationToken: (email: string) => Promise<string>): Promise<ScenarioResult> {
  const api = createClient<paths>({ baseUrl });
  const email = `typed.${Date.now()}@example.com`;
  const password = 'a-good-password';

  const user = must(await api.POST('/api/v1/auth/register', { body: { email, password, firstName: 'Typed', lastName: 'Client' } }), 'register');
  must(await api.GET('/api/v1/auth/confirm', { params: { query: { token: await confirmationToken(email) } } }), 'confirm');
  const tokens = must(await api.POST('/api/v1/auth/login', { body: { email, password } }), 'login');
  const auth = { headers: { Authorization: `${tokens.tokenType} ${tokens.accessToken}` } };

  const post = must(
    await api.POST('/api/v1/posts', {
      ...auth,
      body: {
        title: 'Tomato soup',
        body: 'Simmer the tomatoes, blend, season.',
        complexity: 'easy',
        cookingTimeMinutes: 40,
        ingredients: [{ name: 'tomato', quantity: '800 g' }, { name: 'basil' }],
      },
    }),
    'create a recipe',
  );

  const page = must(await api.GET('/api/v1/posts', { params: { query: { complexity: 'easy', ingredient: ['tomato', 'basil'], sort: 'new', limit: 10 } } }), 'list');
  const liked = must(await api.PUT('/api/v1/posts/{id}/like', { ...auth, params: { path: { id: post.id } } }), 'like');
  const comment = must(await api.POST('/api/v1/posts/{id}/comments', { ...auth, params: { path: { id: post.id } }, body: { body: 'Typed and tasty.' } }), 'comment');

  // The generated types must be strict enough to catch a client's mistakes:
  // @ts-expect-error quantity is free text ("800 g"), not a number
  void api.POST('/api/v1/posts', { ...auth, body: { title: 't', body: 'b', complexity: 'easy', ingredients: [{ name: 'x', quantity: 800 }] } });
  // @ts-expect-error complexity is one of easy, medium, hard
  void api.GET('/api/v1/posts', { params: { query: { complexity: 'trivial' } } });
  // @ts-expect-error a post needs its title
  void api.POST('/api/v1/posts', { ...auth, body: { body: 'b', complexity: 'easy', ingredients: [] } });

  return {
    userId: user.id,
    postId: post.id,
    quantity: post.ingredients[0]?.quantity,
    listed: page.items.map((item) => item.id),
    likes: liked.likes,
    commentId: comment.id,
  };
}
