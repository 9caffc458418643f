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
  social: {
    cookId: string;
    cookPostId: string;
    following: boolean;
    followersCount: number;
    feed: string[];
    saved: string[];
    flags: { liked?: boolean; saved?: boolean };
    followingFlag?: boolean;
  };
}

function must<T>(answer: { data?: T; error?: unknown; response: Response }, step: string): T {
  if (answer.data === undefined) throw new Error(`${step}: ${answer.response.status} ${JSON.stringify(answer.error)}`);
  return answer.data;
}

export async function runScenario(baseUrl: string, confirmationToken: (email: string) => Promise<string>): Promise<ScenarioResult> {
  const api = createClient<paths>({ baseUrl });
  const email = `typed.${Date.now()}@example.com`;
  const password = 'a-good-password';

  const signUp = async (address: string, firstName: string) => {
    const account = must(await api.POST('/api/v1/auth/register', { body: { email: address, password, firstName, lastName: 'Client' } }), 'register');
    must(await api.GET('/api/v1/auth/confirm', { params: { query: { token: await confirmationToken(address) } } }), 'confirm');
    const tokens = must(await api.POST('/api/v1/auth/login', { body: { email: address, password } }), 'login');
    return { user: account, auth: { headers: { Authorization: `${tokens.tokenType} ${tokens.accessToken}` } } };
  };
  const { user, auth } = await signUp(email, 'Typed');

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

  // The social screens: follow a cook, read the feed, save a recipe, show "liked ✓" and "saved".
  const cook = await signUp(`cook.${email}`, 'Cook');
  const follow = must(await api.PUT('/api/v1/users/{id}/follow', { ...auth, params: { path: { id: cook.user.id } } }), 'follow');
  const cookPost = must(
    await api.POST('/api/v1/posts', { ...cook.auth, body: { title: 'Lentil stew', body: 'Simmer.', complexity: 'medium', ingredients: [{ name: 'lentils' }] } }),
    'the cook publishes',
  );
  const feed = must(await api.GET('/api/v1/feed', { ...auth, params: { query: { limit: 20 } } }), 'feed');
  must(await api.PUT('/api/v1/posts/{id}/save', { ...auth, params: { path: { id: cookPost.id } } }), 'save');
  const saved = must(await api.GET('/api/v1/users/me/saved', auth), 'saved list');
  const seen = must(await api.GET('/api/v1/posts/{id}', { ...auth, params: { path: { id: post.id } } }), 'read back signed in');
  const profile = must(await api.GET('/api/v1/users/{id}', { ...auth, params: { path: { id: cook.user.id } } }), 'profile');

  // The generated types must be strict enough to catch a client's mistakes:
  // @ts-expect-error viewer flags are absent from anonymous answers: a client must handle undefined
  const alwaysThere: boolean = seen.liked;
  void alwaysThere;
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
    social: {
      cookId: cook.user.id,
      cookPostId: cookPost.id,
      following: follow.following,
      followersCount: follow.followersCount,
      feed: feed.items.map((item) => item.id),
      saved: saved.items.map((item) => item.id),
      flags: { liked: seen.liked, saved: seen.saved },
      followingFlag: profile.following,
    },
  };
}
