import type { IncomingMessage } from 'node:http';
import { loadEnv } from '../../domain/server/env';
import { createHostCheck, hostNameOf } from '../../domain/server/hostAllowList';

const withHost = (host: string | undefined) => ({ headers: host === undefined ? {} : { host } }) as IncomingMessage;

describe('the Host allow-list', () => {
  it.each([
    ['localhost:4000', 'localhost'],
    ['[::1]:4000', '[::1]'],
    ['[::1]', '[::1]'],
    ['Example.COM:80', 'example.com'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1', ''],
  ])('reads the name of %s as %s', (header, name) => {
    expect(hostNameOf(header)).toBe(name);
  });

  const knownHost = createHostCheck(['evoscope.lan']);
  it.each(['127.0.0.1:4000', 'localhost', '[::1]:4000', 'evoscope.lan:443', '10.1.2.3:4000', '[fe80::1]:4000'])(
    'answers %s',
    (host) => expect(knownHost(withHost(host))).toBe(true),
  );
  it.each([
    'evil.example',
    'localhost.evil.example',
    '127.0.0.1.evil.example',
    'evoscope.lan.evil.example',
    '',
    '[::1',
    'localhost:1; connect-src *',
    'localhost:abc',
    'localhost:4000:1',
  ])('refuses %s', (host) => expect(knownHost(withHost(host))).toBe(false));
  it('refuses a request without Host', () => expect(knownHost(withHost(undefined))).toBe(false));
});

describe('the environment of the gate', () => {
  it('reads comma-separated host names and origins', () => {
    const env = loadEnv({
      EVOSCOPE_ALLOWED_HOSTS: ' Evoscope.LAN, proxy ',
      EVOSCOPE_CORS_ORIGINS: 'https://a.example, http://b.example:8080',
    });
    expect(env.EVOSCOPE_ALLOWED_HOSTS).toEqual(['evoscope.lan', 'proxy']);
    expect(env.EVOSCOPE_CORS_ORIGINS).toEqual(['https://a.example', 'http://b.example:8080']);
  });

  it('allows no other origin and no extra host by default', () => {
    const env = loadEnv({});
    expect(env.EVOSCOPE_CORS_ORIGINS).toEqual([]);
    expect(env.EVOSCOPE_ALLOWED_HOSTS).toEqual([]);
  });

  it.each(['*', 'https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example', 'null'])(
    'refuses the CORS origin %s at start',
    (origin) => expect(() => loadEnv({ EVOSCOPE_CORS_ORIGINS: origin })).toThrow(/EVOSCOPE_CORS_ORIGINS/),
  );

  it.each(['http://evoscope.lan', 'evoscope.lan:4000', 'a b'])('refuses the host name %s at start', (name) =>
    expect(() => loadEnv({ EVOSCOPE_ALLOWED_HOSTS: name })).toThrow(/EVOSCOPE_ALLOWED_HOSTS/),
  );
});
