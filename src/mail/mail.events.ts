import { DomainEvent } from '../common/events/domain-events';

/** Mail was put in the outbox by a committed transaction: time to send it. */
export class MailQueued extends DomainEvent {}
