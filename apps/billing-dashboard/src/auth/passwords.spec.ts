import { hashPassword, verifyPassword } from './passwords';

describe('passwords (scrypt, salted)', () => {
  it('verifies the right password and refuses another', async () => {
    const stored = await hashPassword('收费处-2024!');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('收费处-2024!', stored)).toBe(true);
    expect(await verifyPassword('收费处-2025!', stored)).toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same password', b)).toBe(true);
  });

  it('refuses a stored value that is not a scrypt hash', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false);
    expect(await verifyPassword('x', 'md5$abc$def')).toBe(false);
  });
});
