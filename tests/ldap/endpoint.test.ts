import { describe, expect, it } from 'vitest';
import { endpointUrl, EndpointSyntaxError, globalCatalogOf, parseEndpoint } from '../../src/sources/ldap/endpoint.js';

describe('parseEndpoint', () => {
  it('reads --server HOST[:PORT], with LDAPS on 636 and 3269', () => {
    expect(parseEndpoint({ server: 'dc1.example.test', startTls: false })).toEqual({ host: 'dc1.example.test', port: 389, tls: 'none' });
    expect(parseEndpoint({ server: 'dc1.example.test:636', startTls: false })).toEqual({ host: 'dc1.example.test', port: 636, tls: 'ldaps' });
    expect(parseEndpoint({ server: '[::1]:389', startTls: true })).toEqual({ host: '::1', port: 389, tls: 'starttls' });
  });

  it('reads --url ldap:// and ldaps://', () => {
    expect(parseEndpoint({ url: 'ldaps://127.0.0.1', startTls: false })).toEqual({ host: '127.0.0.1', port: 636, tls: 'ldaps' });
    expect(parseEndpoint({ url: 'ldap://dc1:3268', startTls: true })).toEqual({ host: 'dc1', port: 3268, tls: 'starttls' });
  });

  it.each([
    [{ url: 'http://dc1', startTls: false }, /only ldap:\/\/ and ldaps:\/\//],
    [{ url: 'ldap://admin:pw@dc1', startTls: false }, /no credentials in the URL/],
    [{ url: 'ldaps://dc1', startTls: true }, /already encrypted/],
    [{ server: 'dc1:99999', startTls: false }, /port out of range/],
    [{ server: 'ldap://dc1', startTls: false }, /not HOST or HOST:PORT/],
  ])('refuses %o', (input, message) => {
    expect(() => parseEndpoint(input)).toThrow(EndpointSyntaxError);
    expect(() => parseEndpoint(input)).toThrow(message);
  });

  it('shows a URL with neither user nor password', () => {
    expect(endpointUrl({ host: '::1', port: 389, tls: 'starttls' })).toBe('ldap://[::1]:389');
  });
});

describe('globalCatalogOf', () => {
  it('defaults to the same host on 3268, or 3269 when the DC was reached over LDAPS', () => {
    expect(globalCatalogOf({ host: 'dc1', port: 389, tls: 'starttls' }, undefined)).toEqual({ host: 'dc1', port: 3268, tls: 'starttls' });
    expect(globalCatalogOf({ host: 'dc1', port: 636, tls: 'ldaps' }, undefined)).toEqual({ host: 'dc1', port: 3269, tls: 'ldaps' });
    expect(globalCatalogOf({ host: 'dc1', port: 389, tls: 'none' }, 'gc.example.test')).toEqual({ host: 'gc.example.test', port: 3268, tls: 'none' });
  });
});
