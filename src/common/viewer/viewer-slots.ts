/**
 * Viewer flags (`liked`, `saved` on posts; `following` on users) depend on who asks, while the
 * rest of an answer does not. Mappers mark each object that takes flags with a *slot*; the response
 * cache stores the shared answer once, with a marker where each slot's flags go, and fills the
 * markers per caller from one lookup a page (see ResponseCacheInterceptor and social's
 * ViewerFlagsService). Anonymous answers have no flags at all.
 */

import { RawJson, stringifyWithRaw } from '../json/raw-json';

export type ViewerSlotKind = 'post' | 'user';

export interface ViewerSlot {
  kind: ViewerSlotKind;
  id: string;
}

/** The flag fields of each kind, in order: bit i of a slot's flags is field i. */
export const VIEWER_FLAG_FIELDS: Record<ViewerSlotKind, readonly string[]> = {
  post: ['liked', 'saved'],
  user: ['following'],
};

export const VIEWER_FLAG_NOTE = (what: string): string =>
  `${what}. Present only when the request carries a valid access token (then the answer is private to the caller).`;

/** Answers the flags of one caller for many slots: one bit mask a slot, in the order asked. */
export interface ViewerFlagsSource {
  flagsFor(callerId: string, slots: ViewerSlot[]): Promise<number[]>;
  /** The cache tag that moves whenever any of this caller's flags may have changed. */
  tagFor(callerId: string): string;
}

export const VIEWER_FLAGS_SOURCE = Symbol('ViewerFlagsSource');

const SLOT = Symbol('viewerSlot');
// JSON.stringify writes this key as the six characters \u0001. A quote in a string value is always
// escaped, so `,"\u0001":"` can only be the marker itself, never text a user wrote.
const MARKER_KEY = '\u0001';
const MARKER = /,"\\u0001":"(post|user):([^"]*)"/g;

/** True only while stringifyWithMarkers runs (synchronously): then slotted objects add their marker. */
let marking = false;

/** Marks `dto` as taking the caller's flags of `kind` for `id`. */
export function viewerSlot<T extends object>(dto: T, kind: ViewerSlotKind, id: string): T {
  Object.defineProperty(dto, SLOT, { value: { kind, id } satisfies ViewerSlot, enumerable: false });
  Object.defineProperty(dto, 'toJSON', { value: markedJson, enumerable: false });
  return dto;
}

/**
 * A slotted object whose JSON text was built elsewhere (see RawJson): the marker goes in as its last
 * member. Only the response cache's serialiser writes flags into such an object; answers holding
 * one must be @CacheResponse() answers (as every summary list is).
 */
export function rawWithSlot<T>(json: string, kind: ViewerSlotKind, id: string): RawJson<T> {
  return new RawJson<T>(json, () => (marking ? `,${JSON.stringify(MARKER_KEY)}:${JSON.stringify(`${kind}:${id}`)}` : ''));
}

// A toJSON on slotted objects only, rather than a replacer called for every value of the answer:
// JSON.stringify keeps its fast path for everything else (measured: the replacer was the largest
// single cost of an uncached 100-post page).
function markedJson(this: { [SLOT]: ViewerSlot }): object {
  if (!marking) return this;
  const slot = this[SLOT];
  return { ...this, [MARKER_KEY]: `${slot.kind}:${slot.id}` };
}

function slotOf(value: unknown): ViewerSlot | undefined {
  return value !== null && typeof value === 'object' ? (value as { [SLOT]?: ViewerSlot })[SLOT] : undefined;
}

/** JSON with a marker as the last member of each slotted object. */
export function stringifyWithMarkers(value: unknown): string {
  marking = true;
  try {
    return stringifyWithRaw(value);
  } finally {
    marking = false;
  }
}

/** A marked body split at its markers: `parts` has one more entry than `slots`. */
export interface ViewerTemplate {
  parts: string[];
  slots: ViewerSlot[];
}

export function parseMarkers(marked: string): ViewerTemplate {
  const parts: string[] = [];
  const slots: ViewerSlot[] = [];
  let from = 0;
  for (const match of marked.matchAll(MARKER)) {
    parts.push(marked.slice(from, match.index));
    slots.push({ kind: match[1] as ViewerSlotKind, id: match[2] });
    from = match.index + match[0].length;
  }
  parts.push(marked.slice(from));
  return { parts, slots };
}

/** The body with each slot's flags written in; without `flags`, the anonymous body (no flag fields). */
export function fillTemplate(template: ViewerTemplate, flags?: number[]): string {
  if (!flags) return template.parts.join('');
  let body = template.parts[0];
  template.slots.forEach((slot, i) => {
    body += flagMembers(slot.kind, flags[i]) + template.parts[i + 1];
  });
  return body;
}

function flagMembers(kind: ViewerSlotKind, bits: number): string {
  return VIEWER_FLAG_FIELDS[kind].map((field, bit) => `,"${field}":${(bits >> bit) & 1 ? 'true' : 'false'}`).join('');
}

/** Every slotted object in a handler's answer (for answers that are not cached). */
export function collectSlots(value: unknown, found: { target: Record<string, unknown>; slot: ViewerSlot }[] = []): typeof found {
  if (value === null || typeof value !== 'object') return found;
  const slot = slotOf(value);
  if (slot) found.push({ target: value as Record<string, unknown>, slot });
  for (const member of Array.isArray(value) ? value : Object.values(value)) collectSlots(member, found);
  return found;
}

/** Writes flags into slotted objects in place. */
export function assignFlags(found: ReturnType<typeof collectSlots>, flags: number[]): void {
  found.forEach(({ target, slot }, i) => {
    VIEWER_FLAG_FIELDS[slot.kind].forEach((field, bit) => {
      target[field] = ((flags[i] >> bit) & 1) === 1;
    });
  });
}

/** Flags as a compact string (one character a slot) for the cache, and back. */
export const encodeFlags = (flags: number[]): string => flags.map((bits) => String.fromCharCode(48 + bits)).join('');
export const decodeFlags = (encoded: string): number[] => [...encoded].map((c) => c.charCodeAt(0) - 48);
