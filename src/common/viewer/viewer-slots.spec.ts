import fc from 'fast-check';
import { assignFlags, collectSlots, decodeFlags, encodeFlags, fillTemplate, parseMarkers, stringifyWithMarkers, viewerSlot } from './viewer-slots';

const post = (id: string, title: string) => viewerSlot({ id, title, author: viewerSlot({ id: `u-${id}`, name: title }, 'user', `u-${id}`) }, 'post', id);

describe('viewer slots', () => {
  it('renders the anonymous body exactly as plain JSON, whatever users wrote (markers cannot be forged)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.uuid(), fc.string({ unit: 'binary' })), { maxLength: 5 }), (rows) => {
        const page = { items: rows.map(([id, title]) => post(id, title)), nextCursor: null };
        const template = parseMarkers(stringifyWithMarkers(page));
        expect(fillTemplate(template)).toBe(JSON.stringify(page));
        expect(template.slots).toHaveLength(rows.length * 2);
      }),
    );
  });

  it('writes each slot’s flags as its last members, the same as assigning them', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(fc.uuid(), fc.string(), fc.nat(3), fc.nat(1)), { maxLength: 5, selector: (row) => row[0] }), (rows) => {
        const page = { items: rows.map(([id, title]) => post(id, title)) };
        const template = parseMarkers(stringifyWithMarkers(page));
        const bitsOf = new Map(rows.flatMap(([id, , postBits, userBits]) => [[id, postBits], [`u-${id}`, userBits]] as [string, number][]));
        const flags = template.slots.map((slot) => bitsOf.get(slot.id)!);
        const expected = structuredClone(page);
        expected.items.forEach((item, i) => {
          const [, , postBits, userBits] = rows[i];
          Object.assign(item.author, { following: userBits === 1 });
          Object.assign(item, { liked: (postBits & 1) === 1, saved: (postBits & 2) === 2 });
        });
        expect(JSON.parse(fillTemplate(template, flags))).toEqual(expected);
        expect(decodeFlags(encodeFlags(flags))).toEqual(flags);
      }),
    );
  });

  it('finds and fills slots in answers that are not cached', () => {
    const answer = post('p1', 'Soup');
    const found = collectSlots(answer);
    expect(found.map((entry) => entry.slot)).toEqual([
      { kind: 'post', id: 'p1' },
      { kind: 'user', id: 'u-p1' },
    ]);
    assignFlags(found, [2, 1]);
    expect(answer).toMatchObject({ liked: false, saved: true, author: { following: true } });
  });

  it('leaves objects without slots alone', () => {
    const plain = { items: [{ id: 'x', title: 'no slot' }] };
    expect(parseMarkers(stringifyWithMarkers(plain))).toEqual({ parts: [JSON.stringify(plain)], slots: [] });
  });
});
