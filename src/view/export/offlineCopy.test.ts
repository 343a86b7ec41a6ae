// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { withOpening } from './offlineCopy';

describe('withOpening', () => {
  const page = '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>pinscope</title></head><body><div id="root"></div></body></html>';

  it('puts the moment first in <head>, escaped for an attribute', () => {
    const out = withOpening(page, '#v=2&t=3&s=a"b<c');
    expect(out).toContain('<head><meta name="pinscope-open" content="#v=2&amp;t=3&amp;s=a&quot;b&lt;c"><meta charset="utf-8">');
    const doc = new DOMParser().parseFromString(out, 'text/html');
    expect(doc.querySelector('meta[name="pinscope-open"]')?.getAttribute('content')).toBe('#v=2&t=3&s=a"b<c');
  });

  it('replaces the moment a copy already had', () => {
    const once = withOpening(page, '#v=2&t=3');
    const twice = withOpening(once, '#v=2&t=9');
    expect(twice.match(/pinscope-open/g)).toHaveLength(1);
    expect(twice).toContain('content="#v=2&amp;t=9"');
  });

  it('refuses a page without a head', () => {
    expect(() => withOpening('<p>no</p>', '#v=2')).toThrow(/head/);
  });
});
