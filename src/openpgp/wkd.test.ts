import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wksClientPath } from '../../scripts/test-tools.mjs';
import { toolMissing } from '../../test/helpers/tools.js';
import { wkdHash, wkdUrls, zbase32 } from './wkd.js';

// GnuPG's own WKD client: an independent implementation to compare with.
const wksClient = wksClientPath();

describe('Web Key Directory addressing', () => {
  it('hashes the test vector of the WKD draft: Joe.Doe@Example.ORG', () => {
    expect(wkdHash('Joe.Doe')).toBe('iy9q119eutrkn8s1mk4r39qejnbu3n5q');
    // Case does not matter: the local part is lower-cased before hashing.
    expect(wkdHash('joe.doe')).toBe(wkdHash('JOE.DOE'));
  });

  it('builds the direct and advanced URLs, lower-casing the domain and keeping l as written', () => {
    expect(wkdUrls('Joe.Doe@Example.ORG')).toEqual({
      advanced:
        'https://openpgpkey.example.org/.well-known/openpgpkey/example.org/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe',
      direct: 'https://example.org/.well-known/openpgpkey/hu/iy9q119eutrkn8s1mk4r39qejnbu3n5q?l=Joe.Doe',
    });
  });

  it('encodes known bytes in z-base-32, padding the last group with zero bits', () => {
    // The examples of the z-base-32 specification (24 bits → 5 characters).
    expect(zbase32(Uint8Array.from([0xf0, 0xbf, 0xc7]))).toBe('6n9hq');
    expect(zbase32(Uint8Array.from([0xd4, 0x7a, 0x04]))).toBe('4t7ye');
    expect(zbase32(Uint8Array.from([0x00]))).toBe('yy');
    expect(zbase32(Uint8Array.from([0xff]))).toBe('9h');
    expect(zbase32(new Uint8Array(0))).toBe('');
    // SHA-1("joe.doe"): 20 bytes → 32 characters, the test vector again from raw bytes.
    expect(zbase32(Buffer.from('a83ee94be89c48a11ed25ab44cfdc848833c8b6e', 'hex'))).toBe(
      'iy9q119eutrkn8s1mk4r39qejnbu3n5q',
    );
  });

  it.skipIf(toolMissing('gpg-wks-client'))(
    'agrees with gpg-wks-client on the hash and the advanced URL',
    () => {
      for (const address of [
        'psirt@northwind-medical.example',
        'security@lakeside-health.example',
        'Joe.Doe@Example.ORG',
      ]) {
        const [hash] = execFileSync(wksClient as string, ['--print-wkd-hash', address], { encoding: 'utf8' })
          .trim()
          .split(' ');
        expect(wkdHash(address.slice(0, address.lastIndexOf('@')))).toBe(hash);
        const url = execFileSync(wksClient as string, ['--print-wkd-url', address], {
          encoding: 'utf8',
        }).trim();
        // GnuPG lower-cases the local part in l=, which the WKD draft permits; compare case-insensitively.
        expect(wkdUrls(address).advanced.toLowerCase()).toBe(url.toLowerCase());
      }
    },
  );
});
