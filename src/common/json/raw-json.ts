/**
 * JSON text built elsewhere (by PostgreSQL: see posts' summary items), written into an answer as it
 * is by `stringifyWithRaw` instead of parsed into objects and serialised again (measured: row
 * parsing and re-serialising were the largest costs of an uncached 100-post page). Node 20 has no
 * JSON.rawJSON; this is the same idea for our own serialiser. `T` names the shape the text has.
 */
export class RawJson<T = unknown> {
  declare readonly shape?: T;

  /** `json`: one JSON object or array; `tail`, when given, adds members before its closing brace at serialisation. */
  constructor(
    readonly json: string,
    private readonly tail?: () => string,
  ) {}

  toJSON(): unknown {
    // Outside stringifyWithRaw (Nest's own serialiser, a test's JSON.stringify): the same content, parsed.
    if (!collected) return JSON.parse(this.text());
    collected.push(this);
    return { [PLACEHOLDER_KEY]: collected.length - 1 };
  }

  /** The text written into the answer. */
  text(): string {
    const tail = this.tail?.();
    return tail ? `${this.json.slice(0, -1)}${tail}}` : this.json;
  }
}

// JSON.stringify writes this key as the six characters \u0002. Only a key is followed by `:` (a
// quote inside a string value is escaped), and keys are never user data: `{"\u0002":<n>}` can only
// be a placeholder.
const PLACEHOLDER_KEY = '\u0002';
const PLACEHOLDER = /\{"\\u0002":(\d+)\}/g;

/** The RawJson values met by the stringifyWithRaw under way (it runs synchronously), else null. */
let collected: RawJson[] | null = null;

/** JSON.stringify, with each RawJson's text written in where the value was. */
export function stringifyWithRaw(value: unknown): string {
  const outer = collected;
  const raws: RawJson[] = [];
  collected = raws;
  try {
    const text = JSON.stringify(value);
    return raws.length === 0 ? text : text.replace(PLACEHOLDER, (_, index: string) => raws[Number(index)].text());
  } finally {
    collected = outer;
  }
}
