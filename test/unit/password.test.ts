import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/auth/password.ts';

describe('password strength rule', () => {
  it('accepts mixed passwords and long passphrases', () => {
    expect(passwordProblem('Correct-Horse-42')).toBeNull();
    expect(passwordProblem('purple monkey dishwasher')).toBeNull();
  });

  it.each([
    ['short1A!', 'at least'],
    ['alllowercaseonly', null],
    ['lowercase12', 'three of'],
    ['aaaaaaaaaaaa', 'repeat'],
    ['password123', 'common'],
  ])('judges %s', (pw, problem) => {
    const got = passwordProblem(pw);
    if (problem === null) expect(got).toBeNull();
    else expect(got).toContain(problem);
  });

  it('refuses a password containing the sign-in name', () => {
    expect(passwordProblem('Zhangwei-2026!', { login: 'zhangwei@corp.cn' })).toContain('sign-in name');
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only, and never throws on a bad hash', async () => {
    const h = await hashPassword('Correct-Horse-42');
    expect(h.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    expect(await verifyPassword(h, 'Correct-Horse-42')).toBe(true);
    expect(await verifyPassword(h, 'Correct-Horse-43')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
