import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../../server/auth/password.ts';
import { RateLimiter } from '../../server/auth/rate-limit.ts';

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

describe('rate limiter', () => {
  it('blocks after max hits until the window passes', () => {
    const rl = new RateLimiter({ max: 3, windowMs: 1000 });
    for (let i = 0; i < 3; i++) {
      expect(rl.retryAfter('k', 100)).toBe(0);
      rl.hit('k', 100);
    }
    expect(rl.retryAfter('k', 600)).toBe(500);
    expect(rl.retryAfter('other', 600)).toBe(0);
    expect(rl.retryAfter('k', 1100)).toBe(0);
    rl.hit('k', 1100);
    rl.reset('k');
    expect(rl.retryAfter('k', 1100)).toBe(0);
  });
});
