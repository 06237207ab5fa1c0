/**
 * Pinyin initials of Chinese names (陈静 → cj), for finding a teammate by what
 * is quick to type. Pure, and small: instead of a dictionary it relies on the
 * Chinese collation of `Intl` (every browser and Node with full ICU), which
 * orders Han characters by pinyin; the first character of each initial's range
 * tells where a character falls. Surnames read differently from the same
 * character elsewhere (曾 zēng, not céng) are corrected from a short table.
 * Latin letters and digits keep their own (lower-cased) character.
 */

/** Initials that begin a pinyin syllable, in order (i, u and v begin none). */
const INITIALS = 'abcdefghjklmnopqrstwxyz';
/** The first character of each initial's range in pinyin collation order. */
const RANGE_STARTS = '阿八嚓哒妸发旮哈讥咔垃呣拏噢妑七呥扨它穵夕丫帀';
/** Surnames whose usual reading differs from their most common one. */
const SURNAME_INITIALS: Readonly<Record<string, string>> = {
  曾: 'z',
  单: 's',
  解: 'x',
  区: 'o',
  仇: 'q',
  查: 'z',
  覃: 'q',
  尉: 'y',
  乐: 'y',
  翟: 'z',
  缪: 'm',
  朴: 'p',
  秘: 'b',
  种: 'c',
};

const HAN = /\p{Script=Han}/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{N}]/u;

let collator: Intl.Collator | null | undefined;
function zhCollator(): Intl.Collator | null {
  if (collator === undefined) {
    try {
      const c = new Intl.Collator('zh-Hans-CN');
      // Without Chinese collation data (a small-ICU build) the ranges mean nothing.
      collator = c.resolvedOptions().locale.startsWith('zh') && c.compare('八', '阿') > 0 ? c : null;
    } catch {
      collator = null;
    }
  }
  return collator;
}

/** The initial of one Han character ('' when it cannot be told). */
export function hanInitial(ch: string): string {
  const c = zhCollator();
  if (!c) return '';
  let initial = '';
  for (let i = 0; i < RANGE_STARTS.length; i++) {
    if (c.compare(ch, RANGE_STARTS[i]!) < 0) break;
    initial = INITIALS[i]!;
  }
  return initial;
}

/** The initials of a name: 陈静 → 'cj', 欧阳娜娜 → 'oynn', 'Li Na' → ''. Spaces and punctuation are skipped. */
export function pinyinInitials(name: string): string {
  let out = '';
  let first = true;
  for (const ch of name.trim()) {
    if (HAN.test(ch)) {
      out += (first ? SURNAME_INITIALS[ch] : undefined) ?? hanInitial(ch);
      first = false;
    } else if (LATIN_OR_DIGIT.test(ch) && out.length > 0) {
      // Mixed names (王Kevin) keep their Latin part as typed.
      out += ch.toLowerCase();
    }
  }
  return out;
}
