import { isIPv4, isIPv6 } from 'node:net';

/**
 * The unit sign-in throttling counts a client address in: an IPv4 address as it is (an
 * IPv4-mapped IPv6 address as its IPv4 address), an IPv6 address by its /64 prefix, since one
 * subscriber holds a whole /64 and could otherwise take a fresh address for every guess.
 * Anything else (no address, "unknown") is kept as given, trimmed and lowercased.
 */
export function addressBucket(address: string): string {
  const trimmed = address.trim().toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (isIPv4(trimmed) || !isIPv6(trimmed)) return trimmed;
  return `${expandIPv6(trimmed).slice(0, 4).join(':')}::/64`;
}

/** The eight hextets of an IPv6 address (zone dropped, an embedded IPv4 tail as two hextets). */
function expandIPv6(address: string): string[] {
  let text = address.split('%')[0]!;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number) as [number, number, number, number];
    text =
      text.slice(0, -v4[1]!.length) +
      `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((part) => (parseInt(part, 16) || 0).toString(16));
}
