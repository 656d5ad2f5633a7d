import { describe, expect, it } from 'vitest';
import { crossSiteRefusal, type RequestFacts } from './csrf';

const base: RequestFacts = {
  method: 'POST',
  host: 'briefing.example:3000',
  origin: 'http://briefing.example:3000',
  secFetchSite: 'same-origin',
  contentType: 'application/json',
  contentLength: '12',
};

describe('cross-site rule for the JSON API', () => {
  it.each<[string, Partial<RequestFacts>, boolean]>([
    ['a same-origin JSON post', {}, true],
    ['a GET from anywhere', { method: 'GET', origin: 'https://evil.example' }, true],
    ['a foreign Origin', { origin: 'https://evil.example', secFetchSite: null }, false],
    ['a foreign Origin on another port', { origin: 'http://briefing.example:4000' }, false],
    ['Origin "null" (sandboxed frame)', { origin: 'null', secFetchSite: null }, false],
    ['Sec-Fetch-Site cross-site', { secFetchSite: 'cross-site', origin: null }, false],
    ['Sec-Fetch-Site same-site (a sibling subdomain)', { secFetchSite: 'same-site' }, false],
    ['a text/plain body (no preflight)', { contentType: 'text/plain' }, false],
    ['a form body', { contentType: 'application/x-www-form-urlencoded' }, false],
    ['JSON with a charset', { contentType: 'application/json; charset=utf-8' }, true],
    ['a DELETE without a body', { method: 'DELETE', contentType: null, contentLength: null }, true],
    ['a script without browser headers', { origin: null, secFetchSite: null }, true],
    [
      'an origin listed in ALLOWED_ORIGINS',
      {
        origin: 'https://app.ministry.example',
        secFetchSite: 'cross-site',
        allowedOrigins: ['https://app.ministry.example'],
      },
      true,
    ],
  ])('%s', (_case, change, allowed) => {
    expect(crossSiteRefusal({ ...base, ...change }) === null).toBe(allowed);
  });
});
