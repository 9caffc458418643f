import { NotFoundException, UnauthorizedException } from '@nestjs/common';
import type { DomainEvent, DomainEvents } from '../common/events/domain-events';
import { RawJson } from '../common/json/raw-json';
import type { PostsService } from '../posts/posts.service';
import type { SavesRepository } from './saves.repository';
import { SavesService } from './saves.service';
import { PostSaved } from './social.events';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A foreign-key violation as PostgreSQL reports it (what answerMissingReference reads). */
const missing = (table: string) => Object.assign(new Error('fk'), { code: '23503', detail: `Key is not present in table "${table}".` });

describe('SavesService (in-memory repositories)', () => {
  const posts = new Set([uuid(1), uuid(2), uuid(3)]);
  const users = new Set([uuid(10)]);
  let saves: { userId: string; postId: string; at: string }[];
  let published: DomainEvent[];
  let service: SavesService;
  let clock: number;

  beforeEach(() => {
    saves = [];
    published = [];
    clock = Date.parse('2026-01-01T00:00:00Z');
    const repository: Pick<SavesRepository, 'set' | 'findPage'> = {
      set: async (userId, postId, saved) => {
        if (saved && !posts.has(postId)) throw missing('posts');
        if (saved && !users.has(userId)) throw missing('users');
        const index = saves.findIndex((s) => s.userId === userId && s.postId === postId);
        if (saved && index < 0) saves.push({ userId, postId, at: new Date((clock += 1000)).toISOString() });
        if (!saved && index >= 0) saves.splice(index, 1);
        return saved ? index < 0 : index >= 0;
      },
      findPage: async (userId, limit, after) =>
        saves
          .filter((s) => s.userId === userId && (!after || s.at < String(after.key)))
          .sort((a, b) => b.at.localeCompare(a.at))
          .slice(0, limit)
          .map((s) => ({ postId: s.postId, cursorKey: s.at })),
    };
    const postsService: Pick<PostsService, 'exists' | 'summaries'> = {
      exists: async (id) => posts.has(id),
      summaries: async (ids) => ids.filter((id) => posts.has(id)).map((id) => new RawJson(JSON.stringify({ id }))),
    };
    const events = { publish: async (...list: DomainEvent[]) => void published.push(...list) } as DomainEvents;
    service = new SavesService(repository as SavesRepository, postsService as PostsService, events);
  });

  const reader = { userId: uuid(10), sessionId: 's' };

  it('saves idempotently and publishes only changes', async () => {
    expect(await service.set(reader, uuid(1), true)).toEqual({ saved: true });
    expect(await service.set(reader, uuid(1), true)).toEqual({ saved: true });
    expect(await service.set(reader, uuid(1), false)).toEqual({ saved: false });
    expect(await service.set(reader, uuid(1), false)).toEqual({ saved: false });
    expect(published).toEqual([new PostSaved(uuid(1), uuid(10), true), new PostSaved(uuid(1), uuid(10), false)]);
  });

  it('answers 404 for a post that is not there (or went meanwhile) and 401 for an account that went', async () => {
    await expect(service.set(reader, uuid(7), true)).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.set(reader, uuid(7), false)).rejects.toBeInstanceOf(NotFoundException);
    await expect(service.set({ userId: uuid(11), sessionId: 's' }, uuid(1), true)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(published).toEqual([]);
  });

  it('lists the most recently saved first, by keyset', async () => {
    for (const n of [2, 1, 3]) await service.set(reader, uuid(n), true);
    const first = await service.list(reader, { limit: 2 });
    expect(first.items.map((p) => (JSON.parse(p.json) as { id: string }).id)).toEqual([uuid(3), uuid(1)]);
    const second = await service.list(reader, { limit: 2, cursor: first.nextCursor! });
    expect(JSON.parse(JSON.stringify(second))).toEqual({ items: [{ id: uuid(2) }], nextCursor: null });
  });
});
