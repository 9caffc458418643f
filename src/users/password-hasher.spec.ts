import { hash } from 'bcrypt';
import { AppConfig } from '../config/app-config';
import { hashPassword, PasswordHasher } from './password-hasher';

const hasher = (env: Record<string, string> = {}) => new PasswordHasher(AppConfig.fromEnv({ BCRYPT_ROUNDS: '4', ...env }));
const PEPPER = 'pepper-'.repeat(6);

describe('PasswordHasher', () => {
  it('tells apart passwords that differ only after 72 bytes', async () => {
    const stored = await hasher().hash(`${'a'.repeat(72)}1`);
    expect((await hasher().verify(`${'a'.repeat(72)}1`, stored)).matches).toBe(true);
    expect((await hasher().verify(`${'a'.repeat(72)}2`, stored)).matches).toBe(false);
  });

  it('names its scheme in the stored hash: unpeppered, or keyed with PASSWORD_PEPPER', async () => {
    expect(await hasher().hash('correct horse')).toMatch(/^\$chop-h0\$\$2b\$04\$/);
    expect(await hasher({ PASSWORD_PEPPER: PEPPER }).hash('correct horse')).toMatch(/^\$chop-h1\$\$2b\$04\$/);
    expect(await hashPassword('correct horse', 4, PEPPER)).toMatch(/^\$chop-h1\$/);
  });

  it('a peppered hash needs the same pepper', async () => {
    const stored = await hasher({ PASSWORD_PEPPER: PEPPER }).hash('correct horse');
    expect(await hasher({ PASSWORD_PEPPER: PEPPER }).verify('correct horse', stored)).toEqual({ matches: true, rehash: false });
    expect((await hasher({ PASSWORD_PEPPER: 'other-'.repeat(6) }).verify('correct horse', stored)).matches).toBe(false);
    expect((await hasher().verify('correct horse', stored)).matches).toBe(false);
  });

  it('asks for a rehash of legacy, unpeppered (once a pepper is set) and differently costed hashes, only on a match', async () => {
    const legacy = await hash('correct horse', 4);
    expect(await hasher().verify('correct horse', legacy)).toEqual({ matches: true, rehash: true });
    expect(await hasher().verify('wrong horse', legacy)).toEqual({ matches: false, rehash: false });
    const unpeppered = await hasher().hash('correct horse');
    expect(await hasher({ PASSWORD_PEPPER: PEPPER }).verify('correct horse', unpeppered)).toEqual({ matches: true, rehash: true });
    expect(await hasher({ BCRYPT_ROUNDS: '5' }).verify('correct horse', unpeppered)).toEqual({ matches: true, rehash: true });
    expect(await hasher().verify('correct horse', unpeppered)).toEqual({ matches: true, rehash: false });
  });

  it('spends a real comparison when there is no account', async () => {
    await expect(hasher().matchesNothing('anything')).resolves.toBe(false);
  });
});
