import { describe, expect, it } from 'vitest';
import { digestHourFromEnv, lastDigestTime, retryDelayMs } from './digest';
import { escapeHtml, renderDigest, renderImmediate } from './render';
import type { NotificationPayload } from './types';
import { unsubscribeToken, userOfUnsubscribeToken } from './unsubscribe-token';

const item = (over: Partial<NotificationPayload> = {}): NotificationPayload => ({
  kind: 'mention',
  frameworkTitle: 'Guarantees <img src=x onerror=alert(1)>',
  path: '/groups/g/frameworks/f',
  headline: 'Ann "the chair" mentioned you',
  body: '<script>alert(1)</script>\nsecond line',
  ...over,
});

describe('notification mail rendering', () => {
  it('escapes every user string in the HTML and keeps the text as written', () => {
    const mail = renderImmediate('https://b.example', item(), 'https://b.example/unsubscribe/t');
    expect(mail.html).not.toMatch(/<script|<img/);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mail.html).toContain('Ann &quot;the chair&quot; mentioned you');
    expect(mail.text).toContain('  <script>alert(1)</script>\n  second line');
    expect(mail.text).toContain('Open: https://b.example/groups/g/frameworks/f');
    expect(mail.text).toContain('Stop all notification mails: https://b.example/unsubscribe/t');
  });

  it('keeps the subject on one line and links only paths under the origin', () => {
    const mail = renderImmediate(
      'https://b.example',
      item({ headline: 'Hi\r\nBcc: x@evil.example', path: '//evil.example/x' }),
      'u',
    );
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Open: https://b.example/\n');
  });

  it('gathers a digest into one mail, oldest first', () => {
    const mail = renderDigest(
      'https://b.example',
      [item({ body: 'one' }), item({ body: 'two' })],
      'u',
    );
    expect(mail.subject).toBe('Briefing workspace: 2 notifications since your last digest');
    expect(mail.text.indexOf('one')).toBeLessThan(mail.text.indexOf('two'));
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('unsubscribe tokens', () => {
  it('name the user they were made for, under that secret only', () => {
    const token = unsubscribeToken('user-1', 's1');
    expect(userOfUnsubscribeToken(token, 's1')).toBe('user-1');
    expect(userOfUnsubscribeToken(token, 's2')).toBeNull();
    const [, mac] = token.split('.');
    expect(
      userOfUnsubscribeToken(`${Buffer.from('user-2').toString('base64url')}.${mac}`, 's1'),
    ).toBeNull();
    expect(userOfUnsubscribeToken('garbage', 's1')).toBeNull();
    expect(userOfUnsubscribeToken(`${token}.x`, 's1')).toBeNull();
  });
});

describe('digest timing and retries', () => {
  it('finds the latest digest hour at or before now', () => {
    expect(lastDigestTime(new Date('2026-03-10T06:59:00Z'), 7).toISOString()).toBe(
      '2026-03-09T07:00:00.000Z',
    );
    expect(lastDigestTime(new Date('2026-03-10T07:00:00Z'), 7).toISOString()).toBe(
      '2026-03-10T07:00:00.000Z',
    );
    expect(digestHourFromEnv({})).toBe(7);
    expect(() => digestHourFromEnv({ NOTIFY_DIGEST_HOUR_UTC: '24' })).toThrow('0 to 23');
  });

  it('backs off from a minute, doubling, to at most an hour', () => {
    expect([1, 2, 3, 6, 7, 20].map(retryDelayMs)).toEqual([
      60_000, 120_000, 240_000, 1_920_000, 3_600_000, 3_600_000,
    ]);
  });
});
