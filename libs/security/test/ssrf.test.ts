import { addressRange, assertUrlSafe, checkResolvedAddress, checkUrlSyntax, isPublicAddress, UnsafeUrlError } from '@pingback/security';

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

function reasonOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (err) {
    if (err instanceof UnsafeUrlError) return err.reason;
    throw err;
  }
  return undefined;
}

async function asyncReasonOf(action: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await action();
  } catch (err) {
    if (err instanceof UnsafeUrlError) return err.reason;
    throw err;
  }
  return undefined;
}

describe('address classification (no connection is made)', () => {
  test.each([
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['2130706433', 'loopback'],
    ['0x7f000001', 'loopback'],
    ['0177.0.0.1', 'loopback'],
    ['127.1', 'loopback'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['192.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fd12:3456::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fec0::1', 'deprecatedSiteLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'ipv4Mapped'],
    ['::ffff:7f00:1', 'ipv4Mapped'],
    ['::ffff:10.0.0.1', 'ipv4Mapped'],
    ['::ffff:8.8.8.8', 'ipv4Mapped'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:7f00:1::1', '6to4'],
    ['2001:db8::1', 'reserved'],
    ['100::1', 'discard'],
    ['4000::1', 'reserved'],
  ])('when the address is %s, then it is refused as %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
    expect(isPublicAddress(address)).toBe(false);
    expect(reasonOf(() => checkResolvedAddress(address, strict))).toBe('private_address');
    expect(reasonOf(() => checkResolvedAddress(address, relaxed))).toBeUndefined();
  });

  test.each(['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1'])(
    'when the address is %s, then it is public',
    (address) => {
      expect(addressRange(address)).toBe('public');
      expect(reasonOf(() => checkResolvedAddress(address, strict))).toBeUndefined();
    },
  );

  test.each(['evil.test', '', '1.2.3.4.5', '::g', 'localhost'])('when %j is not an address, then it is refused as invalid_address', (text) => {
    expect(addressRange(text)).toBeUndefined();
    expect(reasonOf(() => checkResolvedAddress(text, strict))).toBe('invalid_address');
  });

  test('when an address is refused, then the error carries code unsafe_url, the reason and the address', () => {
    let thrown: unknown;
    try {
      checkResolvedAddress('169.254.169.254', strict);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toMatchObject({ code: 'unsafe_url', reason: 'private_address', address: '169.254.169.254' });
    expect((thrown as Error).message).toMatch(/linkLocal/);
  });
});

describe('checkUrlSyntax', () => {
  test.each([
    ['ftp://example.com/file', 'scheme_not_allowed'],
    ['file:///etc/passwd', 'scheme_not_allowed'],
    ['javascript:alert(1)', 'scheme_not_allowed'],
    ['gopher://example.com:70/', 'scheme_not_allowed'],
    ['http://example.com/hook', 'https_required'],
    ['https://user:pass@example.com/hook', 'credentials_in_url'],
    ['https://user@example.com/hook', 'credentials_in_url'],
    ['https://example.com:8443/hook', 'port_not_allowed'],
    ['https://example.com:80/hook', 'port_not_allowed'],
    ['https://127.0.0.1/', 'private_address'],
    ['https://2130706433/', 'private_address'],
    ['https://0x7f000001/', 'private_address'],
    ['https://0177.0.0.1/', 'private_address'],
    ['https://127.1/', 'private_address'],
    ['https://%31%32%37.0.0.1/', 'private_address'],
    ['https://0/', 'private_address'],
    ['https://0.0.0.0/', 'private_address'],
    ['https://10.0.0.1/', 'private_address'],
    ['https://169.254.169.254/latest/meta-data/', 'private_address'],
    ['https://100.64.0.1/', 'private_address'],
    ['https://[::1]/', 'private_address'],
    ['https://[::ffff:127.0.0.1]/', 'private_address'],
    ['https://[::ffff:a9fe:a9fe]/', 'private_address'],
    ['https://[fc00::1]/', 'private_address'],
    ['https://[fe80::1]/', 'private_address'],
    ['https://localhost/', 'internal_hostname'],
    ['https://LOCALHOST./', 'internal_hostname'],
    ['https://api.localhost/', 'internal_hostname'],
    ['https://metadata.google.internal/computeMetadata/v1/', 'internal_hostname'],
    ['https://printer.local/', 'internal_hostname'],
    ['https://intranet/', 'internal_hostname'],
    ['not a url', 'invalid_url'],
    ['/relative/path', 'invalid_url'],
    [`https://example.com/${'a'.repeat(2048)}`, 'url_too_long'],
  ])('when allowPrivate is off and the URL is %s, then it is refused as %s', (url, reason) => {
    expect(reasonOf(() => checkUrlSyntax(url, strict))).toBe(reason);
  });

  test.each(['https://example.com/hook', 'https://example.com:443/hook?x=1', 'https://8.8.8.8/x', 'https://[2606:4700:4700::1111]/', 'https://evil.test/'])(
    'when allowPrivate is off and the URL is %s, then it passes and is returned parsed',
    (url) => {
      expect(checkUrlSyntax(url, strict)).toBeInstanceOf(URL);
    },
  );

  test.each(['http://127.0.0.1:3000/x', 'http://localhost:8080/', 'https://10.0.0.1:8443/', 'http://[::1]:9/', 'http://2130706433:80/'])(
    'when allowPrivate is on, then %s passes',
    (url) => {
      expect(reasonOf(() => checkUrlSyntax(url, relaxed))).toBeUndefined();
    },
  );

  test.each([
    ['ftp://127.0.0.1/', 'scheme_not_allowed'],
    ['http://user:pw@127.0.0.1:3000/', 'credentials_in_url'],
  ])('when allowPrivate is on, then %s is still refused as %s', (url, reason) => {
    expect(reasonOf(() => checkUrlSyntax(url, relaxed))).toBe(reason);
  });
});

describe('assertUrlSafe', () => {
  test('when the name resolves only to public addresses, then it passes and the resolver saw the host', async () => {
    const resolver = jest.fn(async () => ['93.184.216.34', '2606:4700:4700::1111']);
    await expect(assertUrlSafe('https://hooks.example.com/in', { allowPrivate: false, resolver })).resolves.toBeInstanceOf(URL);
    expect(resolver).toHaveBeenCalledWith('hooks.example.com');
  });

  test('when any one resolved address is private, then it is refused as private_address', async () => {
    const resolver = async (): Promise<string[]> => ['93.184.216.34', '10.0.0.1'];
    expect(await asyncReasonOf(() => assertUrlSafe('https://mixed.example.com/', { allowPrivate: false, resolver }))).toBe('private_address');
  });

  test('when the name resolves to an IPv4-mapped loopback, then it is refused', async () => {
    const resolver = async (): Promise<string[]> => ['::ffff:127.0.0.1'];
    expect(await asyncReasonOf(() => assertUrlSafe('https://sneaky.example.com/', { allowPrivate: false, resolver }))).toBe('private_address');
  });

  test('when the name does not resolve, then it is refused as unresolvable_host', async () => {
    const empty = async (): Promise<string[]> => [];
    const failing = async (): Promise<string[]> => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await asyncReasonOf(() => assertUrlSafe('https://nowhere.example.com/', { allowPrivate: false, resolver: empty }))).toBe('unresolvable_host');
    expect(await asyncReasonOf(() => assertUrlSafe('https://nowhere.example.com/', { allowPrivate: false, resolver: failing }))).toBe('unresolvable_host');
  });

  test('when the syntax is unsafe, when the host is a public literal, or when allowPrivate is on, then nothing is resolved', async () => {
    const resolver = jest.fn(async () => ['127.0.0.1']);
    expect(await asyncReasonOf(() => assertUrlSafe('http://example.com/', { allowPrivate: false, resolver }))).toBe('https_required');
    await assertUrlSafe('https://8.8.8.8/', { allowPrivate: false, resolver });
    await assertUrlSafe('http://anything.example:8080/', { allowPrivate: true, resolver });
    expect(resolver).not.toHaveBeenCalled();
  });
});
