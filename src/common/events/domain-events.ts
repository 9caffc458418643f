import { Injectable, type Type } from '@nestjs/common';
import { EventEmitter2, OnEvent } from '@nestjs/event-emitter';

/**
 * Something a write did, told to the rest of the app once the write's transaction has committed.
 * Each feature defines its events in `<feature>.events.ts`; listeners react to them.
 */
export abstract class DomainEvent {}

/**
 * Publishes domain events and waits for every listener: a write answers only after each feature
 * has retired the cache tags the event made stale, so no later read sees what it replaced.
 */
@Injectable()
export class DomainEvents {
  constructor(private readonly emitter: EventEmitter2) {}

  /** Call after the write's transaction committed (never inside it: a rollback would leave caches retired for nothing, and a reader could cache the old rows again before the commit). */
  async publish(...events: DomainEvent[]): Promise<void> {
    for (const event of events) await this.emitter.emitAsync(event.constructor.name, event);
  }
}

/** Subscribes a listener method to one event class; its failure fails the write instead of being logged and forgotten. */
export function OnDomainEvent(type: Type<DomainEvent>): MethodDecorator {
  return OnEvent(type.name, { suppressErrors: false });
}
