/** User links (a customer's website): only http, https, mailto, tel or a bare domain; rendered safely. */
import { describe, expect, it } from 'vitest';
import { isSafeLink, linkHref } from '../../schema/wire/links.ts';

describe('isSafeLink', () => {
  it.each([
    'example.com',
    'www.example.co.uk:8080/path?x=1#y',
    '华为.com/about',
    'xn--fiqs8s.xn--fiqs8s',
    'https://x.com',
    'HTTP://X.COM/a',
    'https://user@x.com/',
    'mailto:sales@example.cn',
    'mailto:sales@example.cn?subject=Hi',
    'tel:+86 10 1234 5678',
  ])('accepts %s', (link) => {
    expect(isSafeLink(link)).toBe(true);
  });

  it.each([
    'javascript:alert(1)//x.com',
    'JavaScript:alert(1)//x.com',
    'javascript:alert(1);x.com',
    'java\tscript:alert(1).com',
    'vbscript:x.com',
    'data:text/html,x.com',
    'file:///etc/passwd.txt',
    'ftp://x.com',
    '//evil.com',
    'http://javascript:alert(1)',
    'example.com" onmouseover="x',
    'mailto:javascript',
    'tel:abc',
    'localhost',
    '',
  ])('refuses %j', (link) => {
    expect(isSafeLink(link)).toBe(false);
    expect(linkHref(link)).toBeNull();
  });
});

describe('linkHref', () => {
  it('renders a bare domain as https and keeps a safe scheme', () => {
    expect(linkHref('example.com/about')).toBe('https://example.com/about');
    expect(linkHref(' example.com ')).toBe('https://example.com');
    expect(linkHref('example.com:8080')).toBe('https://example.com:8080');
    expect(linkHref('http://example.com')).toBe('http://example.com');
    expect(linkHref('mailto:a@b.cn')).toBe('mailto:a@b.cn');
  });
});
