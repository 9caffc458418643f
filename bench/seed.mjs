// Deterministic seed data for benchmarks: `npm run seed -- --users 2500 --posts 100000`.
// Flags: --users --posts --likes (per post, average) --comments (per post, average) --follows (per user,
// average, long-tailed: a few stars are followed by ~10 % of everyone) --saves (per user, average) --seed --reset.
// cook1 follows everyone (the heavy follower), cook2 follows exactly five cooks (the light one).
// Needs DATABASE_URL (migrated: `npm run seed` runs the migrations first).
// Every seeded user logs in with the password "bench-password" (e-mail cook<N>@bench.chopchop.test).
import pg from 'pg';
import { hashPassword } from '../dist/src/users/password-hasher.js';

export const BENCH_PASSWORD = 'bench-password';

const BASE_FOODS = ['tomato', 'basil', 'garlic', 'onion', 'potato', 'carrot', 'leek', 'celery', 'rice', 'pasta', 'flour', 'butter', 'egg', 'milk', 'cream', 'cheese', 'lemon', 'lime', 'apple', 'pear', 'chicken', 'beef', 'pork', 'lamb', 'salmon', 'tuna', 'shrimp', 'tofu', 'lentils', 'chickpeas', 'beans', 'spinach', 'kale', 'mushroom', 'pepper', 'chili', 'ginger', 'cumin', 'paprika', 'thyme', 'rosemary', 'parsley', 'coriander', 'mint', 'honey', 'sugar', 'salt', 'olive oil', 'vinegar', 'yogurt'];
const MODIFIERS = ['', 'fresh ', 'dried ', 'smoked ', 'roasted ', 'ground '];
const VOCABULARY = MODIFIERS.flatMap((m) => BASE_FOODS.map((f) => `${m}${f}`)); // 300 names
const ADJECTIVES = ['Quick', 'Rustic', 'Creamy', 'Spicy', 'Sunday', 'Crispy', 'Slow-cooked', 'Lemony', 'Garden', 'Midweek'];
const DISHES = ['soup', 'stew', 'salad', 'pie', 'risotto', 'curry', 'bake', 'tart', 'stir-fry', 'omelette', 'pasta', 'traybake'];
const SENTENCES = [
  'Heat the oil in a heavy pan over a medium flame.',
  'Chop everything roughly; nobody is judging your knife skills.',
  'Season generously and taste as you go.',
  'Simmer gently until the sauce coats the back of a spoon.',
  'Let it rest for five minutes before serving.',
  'Toast the spices until fragrant, then add the onions.',
  'Finish with a squeeze of lemon and a handful of herbs.',
  'Bake until golden at the edges and just set in the middle.',
  'Stir in the cream off the heat so it does not split.',
  'Serve warm with crusty bread or a bowl of rice.',
];
const COMPLEXITIES = ['easy', 'medium', 'hard'];

function parseArgs(argv) {
  const options = { users: 2500, posts: 100000, likes: 5, comments: 2, follows: 20, saves: 5, seed: 42, reset: false };
  for (let i = 0; i < argv.length; i += 1) {
    const name = argv[i].replace(/^--/, '');
    if (name === 'reset') options.reset = true;
    else if (name in options) options[name] = Number(argv[++i]);
    else throw new Error(`unknown flag ${argv[i]}`);
  }
  return options;
}

/** mulberry32: a tiny seeded PRNG, so two runs with one --seed give the same data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Deterministic UUID-shaped ids from the PRNG. */
function uuid(random) {
  const word = () => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  const hex = word() + word() + word() + word();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const progress = (label, done, total) => process.stderr.write(`\r${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}   `);

export async function seed(databaseUrl, options) {
  const random = prng(options.seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const started = Date.now();
  // One transaction: the load drops and rebuilds secondary indexes, and a crash (or Ctrl-C) midway
  // must leave the database as it was, never without the indexes its migrations promise.
  await client.query('BEGIN');
  try {
    if (options.reset) await client.query('TRUNCATE users, ingredients, mail_outbox CASCADE');
    const { rows } = await client.query('SELECT count(*)::int AS n FROM posts');
    if (rows[0].n > 0 && !options.reset) {
      console.error(`database already holds ${rows[0].n} posts: nothing seeded (pass --reset to start over)`);
      await client.query('ROLLBACK');
      return;
    }
    // Bulk load without per-row triggers and FK checks; the counters are computed once at the end.
    await client.query("SET LOCAL session_replication_role = 'replica'");
    const passwordHash = await hashPassword(BENCH_PASSWORD, 10, process.env.PASSWORD_PEPPER || undefined);
    const epoch = Date.parse('2026-01-01T00:00:00Z');
    const span = 300 * 24 * 3600 * 1000;

    const userIds = [];
    for (let start = 0; start < options.users; start += 5000) {
      const n = Math.min(5000, options.users - start);
      const ids = [], emails = [], firsts = [], lasts = [], created = [];
      for (let i = 0; i < n; i += 1) {
        const k = start + i + 1;
        ids.push(uuid(random));
        emails.push(`cook${k}@bench.chopchop.test`);
        firsts.push(pick(['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim']));
        lasts.push(`Cook${k}`);
        created.push(new Date(epoch + random() * span).toISOString());
      }
      await client.query(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, bio, is_active, created_at)
         SELECT u.id, u.email, $6, u.first, u.last, 'Home cook.', true, u.created
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[]) AS u(id, email, first, last, created)`,
        [ids, emails, firsts, lasts, created, passwordHash],
      );
      userIds.push(...ids);
      progress('users', userIds.length, options.users);
    }
    process.stderr.write('\n');

    await client.query(`INSERT INTO ingredients (name) SELECT unnest($1::text[]) ON CONFLICT ((fold_key(name))) DO NOTHING`, [VOCABULARY]);
    // Secondary indexes are built once after the load (much faster than row by row), exactly as the
    // migrations defined them: their definitions are read back from the catalogue.
    const secondary = (
      await client.query(
        `SELECT i.indexname, i.indexdef FROM pg_indexes i
          WHERE i.schemaname = 'public' AND i.tablename = ANY($1)
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
        [['posts', 'post_ingredients', 'likes', 'comments', 'follows', 'saves']],
      )
    ).rows;
    for (const index of secondary) await client.query(`DROP INDEX "${index.indexname}"`);
    const ingredientIds = (await client.query('SELECT id FROM ingredients ORDER BY id')).rows.map((r) => r.id);

    const BATCH = 5000;
    const postIds = [];
    let pending = Promise.resolve();
    for (let start = 0; start < options.posts; start += BATCH) {
      const n = Math.min(BATCH, options.posts - start);
      const post = { id: [], author: [], title: [], body: [], complexity: [], time: [], servings: [], created: [] };
      const line = { post: [], ingredient: [], position: [], quantity: [] };
      const like = { post: [], user: [] };
      const comment = { id: [], post: [], author: [], body: [], created: [] };
      for (let i = 0; i < n; i += 1) {
        const id = uuid(random);
        const createdAt = epoch + random() * span;
        postIds.push(id);
        post.id.push(id);
        post.author.push(pick(userIds));
        post.title.push(`${pick(ADJECTIVES)} ${pick(BASE_FOODS)} ${pick(DISHES)}`);
        post.body.push(Array.from({ length: 9 }, () => pick(SENTENCES)).join(' ').slice(0, 520));
        post.complexity.push(pick(COMPLEXITIES));
        post.time.push(5 + Math.floor(random() * 175));
        post.servings.push(1 + Math.floor(random() * 8));
        post.created.push(new Date(createdAt).toISOString());
        const count = 3 + Math.floor(random() * 13);
        const chosen = new Set();
        while (chosen.size < count) chosen.add(pick(ingredientIds));
        [...chosen].forEach((ingredient, position) => {
          line.post.push(id);
          line.ingredient.push(ingredient);
          line.position.push(position);
          line.quantity.push(`${1 + Math.floor(random() * 500)} g`);
        });
        const likers = new Set();
        const likeCount = Math.floor(random() * random() * options.likes * 4);
        while (likers.size < Math.min(likeCount, userIds.length)) likers.add(pick(userIds));
        for (const user of likers) {
          like.post.push(id);
          like.user.push(user);
        }
        const commentCount = Math.floor(random() * options.comments * 2);
        for (let c = 0; c < commentCount; c += 1) {
          comment.id.push(uuid(random));
          comment.post.push(id);
          comment.author.push(pick(userIds));
          comment.body.push(pick(SENTENCES));
          comment.created.push(new Date(createdAt + (c + 1) * 60_000).toISOString());
        }
      }
      // One statement a batch (data-modifying CTEs), not awaited until the next batch is built:
      // PostgreSQL loads batch k while this process generates batch k + 1.
      await pending;
      pending = client.query(
        `WITH p AS (
           INSERT INTO posts (id, author_id, title, body, complexity, cooking_time_minutes, servings, created_at, updated_at)
           SELECT p.id, p.author, p.title, p.body, p.complexity::post_complexity, p.time, p.servings, p.created, p.created
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::timestamptz[])
               AS p(id, author, title, body, complexity, time, servings, created)),
         i AS (
           INSERT INTO post_ingredients (post_id, ingredient_id, position, quantity)
           SELECT * FROM unnest($9::uuid[], $10::int[], $11::smallint[], $12::text[])),
         l AS (INSERT INTO likes (post_id, user_id) SELECT * FROM unnest($13::uuid[], $14::uuid[]))
         INSERT INTO comments (id, post_id, author_id, body, created_at)
         SELECT * FROM unnest($15::uuid[], $16::uuid[], $17::uuid[], $18::text[], $19::timestamptz[])`,
        [
          post.id, post.author, post.title, post.body, post.complexity, post.time, post.servings, post.created,
          line.post, line.ingredient, line.position, line.quantity,
          like.post, like.user,
          comment.id, comment.post, comment.author, comment.body, comment.created,
        ],
      );
      progress('posts', start + n, options.posts);
    }
    await pending;
    process.stderr.write('\n');
    await seedFollows(client, random, userIds, options, epoch, span);
    await seedSaves(client, random, userIds, postIds, options, epoch, span);
    process.stderr.write('indexes …\n');
    for (const index of secondary) await client.query(index.indexdef);
    process.stderr.write('counters and statistics …\n');
    await client.query(`
      UPDATE posts p SET likes = l.n FROM (SELECT post_id, count(*)::int AS n FROM likes GROUP BY 1) l WHERE l.post_id = p.id;
      UPDATE posts p SET comments_count = c.n FROM (SELECT post_id, count(*)::int AS n FROM comments GROUP BY 1) c WHERE c.post_id = p.id;
      UPDATE users u SET posts_count = p.n FROM (SELECT author_id, count(*)::int AS n FROM posts GROUP BY 1) p WHERE p.author_id = u.id;
      UPDATE users u SET followers_count = f.n FROM (SELECT followee_id, count(*)::int AS n FROM follows GROUP BY 1) f WHERE f.followee_id = u.id;
      UPDATE users u SET following_count = f.n FROM (SELECT follower_id, count(*)::int AS n FROM follows GROUP BY 1) f WHERE f.follower_id = u.id;`);
    await client.query('COMMIT');
    await client.query('ANALYZE');
    console.error(`seeded ${options.users} users and ${options.posts} posts in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}

/** Inserts rows of parallel arrays in batches (duplicates skipped), `columns` naming each array's SQL type. */
async function insertBatches(client, table, columns, rows, label) {
  for (let start = 0; start < rows[0].length; start += 50_000) {
    const slice = rows.map((column) => column.slice(start, start + 50_000));
    const names = columns.map(([name]) => name).join(', ');
    const unnest = columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
    await client.query(`INSERT INTO ${table} (${names}) SELECT * FROM unnest(${unnest}) ON CONFLICT DO NOTHING`, slice);
    progress(label, Math.min(start + 50_000, rows[0].length), rows[0].length);
  }
  process.stderr.write('\n');
}

/**
 * Follows with a long tail: each user follows ~`follows` others on average (skewed: most follow a
 * few, some many), and each of the first 0.2 % of users (the stars) is followed by ~10 % of everyone.
 * cook1 follows everyone, cook2 exactly five cooks: the heavy and the light feed of the benchmark.
 */
async function seedFollows(client, random, userIds, options, epoch, span) {
  const follower = [], followee = [], created = [];
  const add = (a, b) => {
    if (a === b) return;
    follower.push(a);
    followee.push(b);
    created.push(new Date(epoch + random() * span).toISOString());
  };
  const stars = userIds.slice(2, 2 + Math.max(3, Math.floor(userIds.length * 0.002)));
  for (const [i, user] of userIds.entries()) {
    if (i < 2) continue;
    const count = Math.floor(random() * random() * options.follows * 4);
    for (let k = 0; k < Math.min(count, userIds.length - 1); k += 1) add(user, userIds[Math.floor(random() * userIds.length)]);
    for (const star of stars) if (random() < 0.1) add(user, star);
  }
  for (const user of userIds.slice(1)) add(userIds[0], user);
  for (const user of userIds.slice(2, 7)) add(userIds[1], user);
  await insertBatches(client, 'follows', [['follower_id', 'uuid'], ['followee_id', 'uuid'], ['created_at', 'timestamptz']], [follower, followee, created], 'follows');
}

/** Saves: each user saves ~`saves` posts on average (long-tailed). */
async function seedSaves(client, random, userIds, postIds, options, epoch, span) {
  const user = [], post = [], created = [];
  for (const id of userIds) {
    const count = Math.floor(random() * random() * options.saves * 4);
    for (let k = 0; k < count; k += 1) {
      user.push(id);
      post.push(postIds[Math.floor(random() * postIds.length)]);
      created.push(new Date(epoch + random() * span).toISOString());
    }
  }
  await insertBatches(client, 'saves', [['user_id', 'uuid'], ['post_id', 'uuid'], ['created_at', 'timestamptz']], [user, post, created], 'saves');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('set DATABASE_URL to the database to fill');
    process.exit(1);
  }
  seed(url, parseArgs(process.argv.slice(2))).catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
