import { describe, expect, it } from 'vitest';
import { addressBucket } from './address-bucket';

describe('addressBucket', () => {
  it('keeps IPv4 addresses, and reads IPv4-mapped IPv6 ones as IPv4', () => {
    expect(addressBucket('203.0.113.9')).toBe('203.0.113.9');
    expect(addressBucket('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('counts IPv6 addresses by their /64, however they are written', () => {
    const bucket = '2001:db8:0:1::/64';
    expect(addressBucket('2001:db8:0:1::1')).toBe(bucket);
    expect(addressBucket('2001:0DB8:0000:0001:ffff:ffff:ffff:ffff')).toBe(bucket);
    expect(addressBucket('2001:db8::1:0:0:0:1')).toBe(bucket);
    expect(addressBucket('2001:db8:0:1::1%eth0')).toBe(bucket);
    expect(addressBucket('2001:db8:0:2::1')).not.toBe(bucket);
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });

  it('keeps what is not an address as given', () => {
    expect(addressBucket('unknown')).toBe('unknown');
    expect(addressBucket(' Elsewhere ')).toBe('elsewhere');
  });
});
