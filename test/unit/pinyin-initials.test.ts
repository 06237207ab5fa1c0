/** Pinyin initials and the @mention matcher built on them (client/src/ui, client/src/customers). */
import { describe, expect, it } from 'vitest';
import { matchMentionUsers, mentionQueryAt, mentionText } from '../../client/src/customers/mention-suggest.ts';
import { pinyinInitials } from '../../client/src/ui/pinyin-initials.ts';

const user = (name: string, email = `${Math.random().toString(36).slice(2)}@example.com`) => ({ id: name, name, email });

describe('pinyinInitials', () => {
  it('gives the initial of each character of common names', () => {
    expect(pinyinInitials('陈静')).toBe('cj');
    expect(pinyinInitials('张伟')).toBe('zw');
    expect(pinyinInitials('刘洋')).toBe('ly');
    expect(pinyinInitials('罗斌')).toBe('lb');
    expect(pinyinInitials('马超')).toBe('mc');
    expect(pinyinInitials('欧阳娜娜')).toBe('oynn');
    expect(pinyinInitials('徐静蕾')).toBe('xjl');
  });

  it('reads surnames as surnames', () => {
    expect(pinyinInitials('曾伟')).toBe('zw');
    expect(pinyinInitials('单丽')).toBe('sl');
    // Only the first character is a surname: 曾 later reads céng.
    expect(pinyinInitials('王曾')).toBe('wc');
  });

  it('gives nothing for a Latin name and keeps Latin letters after Chinese ones', () => {
    expect(pinyinInitials('Alice Chen')).toBe('');
    expect(pinyinInitials('王 Kevin')).toBe('wkevin');
  });
});

describe('mention suggestions', () => {
  const team = [user('陈静', 'jing.chen@example.com'), user('程杰'), user('Alice Chen', 'alice@example.com'), user('Bob Stone', 'bob@example.com')];

  it('matches pinyin initials, names, words of names and e-mail', () => {
    expect(matchMentionUsers('cj', team).map((u) => u.name).sort()).toEqual(['程杰', '陈静'].sort());
    expect(matchMentionUsers('陈', team).map((u) => u.name)).toEqual(['陈静']);
    expect(matchMentionUsers('chen', team).map((u) => u.name)).toEqual(['Alice Chen']);
    expect(matchMentionUsers('jing', team).map((u) => u.name)).toEqual(['陈静']);
    expect(matchMentionUsers('bs', team).map((u) => u.name)).toEqual(['Bob Stone']);
    expect(matchMentionUsers('zz', team)).toEqual([]);
    // An empty query lists everyone (up to the limit), by name.
    expect(matchMentionUsers('', team, 2)).toHaveLength(2);
  });

  it('finds the @query before the caret only where the server would see a mention', () => {
    expect(mentionQueryAt('Call @cj')).toEqual({ start: 5, query: 'cj' });
    expect(mentionQueryAt('@')).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('请@陈')).toEqual({ start: 1, query: '陈' });
    expect(mentionQueryAt('mail bob@acme')).toBeNull();
    expect(mentionQueryAt('@cj said')).toBeNull();
    expect(mentionText(team[0]!)).toBe('@陈静 ');
  });
});
