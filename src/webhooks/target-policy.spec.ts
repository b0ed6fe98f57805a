import { createServer, request, Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isNeverAllowedAddress, isNonPublicAddress, TargetPolicy, type Resolver } from './target-policy';

const fakeDns =
  (answers: Record<string, string[]>): Resolver =>
  async (host) => {
    const list = answers[host];
    if (!list) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

describe('target policy: addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '169.254.169.254',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1',
    'ff02::1',
    '64:ff9b::a00:1',
    '2001:db8::1',
  ])('%s is not public', (address) => expect(isNonPublicAddress(address)).toBe(true));

  it.each(['8.8.8.8', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(isNonPublicAddress(address)).toBe(false),
  );

  it('never allows link-local, however written', () => {
    for (const address of ['169.254.169.254', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', 'fe80::1'])
      expect(isNeverAllowedAddress(address)).toBe(true);
    expect(isNeverAllowedAddress('127.0.0.1')).toBe(false);
  });
});

describe('target policy: URLs', () => {
  const dns = fakeDns({
    'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
    'split.example.com': ['93.184.216.34', '10.0.0.5'],
    'v6private.example.com': ['fd00::1'],
    localhost: ['127.0.0.1', '::1'],
    'metadata.internal': ['169.254.169.254'],
  });
  const policy = new TargetPolicy([], dns);

  it('accepts public http and https URLs', async () => {
    await expect(policy.problem('url', 'https://hooks.example.com/in')).resolves.toBeUndefined();
    await expect(policy.problem('url', 'http://93.184.216.34:8080/x?y=1')).resolves.toBeUndefined();
  });

  it.each([
    ['ftp://hooks.example.com/', 'url must use http or https'],
    ['s3://bucket/key', 'url must use http or https'],
    ['not a url', 'url must be an absolute http or https URL'],
    ['https://user:pw@hooks.example.com/', 'url must not contain credentials'],
    ['http://127.0.0.1:3000/', 'non-public'],
    ['http://[::1]/', 'non-public'],
    ['http://[::ffff:127.0.0.1]/', 'non-public'],
    ['http://10.20.30.40/', 'non-public'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local'],
    ['http://localhost:8080/', 'non-public'],
    ['https://split.example.com/', 'non-public'], // one private address among public ones
    ['https://v6private.example.com/', 'non-public'],
    ['https://nowhere.example.com/', 'url host could not be resolved'],
  ])('refuses %s', async (url, reason) => {
    await expect(policy.problem('url', url)).resolves.toContain(reason);
  });

  it('opens hosts on the allow list, except link-local', async () => {
    const open = new TargetPolicy(['localhost', '127.0.0.1', '[::1]', 'metadata.internal', '169.254.169.254'], dns);
    await expect(open.problem('url', 'http://localhost:8080/')).resolves.toBeUndefined();
    await expect(open.problem('url', 'http://127.0.0.1:8080/')).resolves.toBeUndefined();
    await expect(open.problem('url', 'http://[::1]:8080/')).resolves.toBeUndefined();
    await expect(open.problem('url', 'http://10.0.0.1/')).resolves.toContain('non-public');
    await expect(open.problem('url', 'http://metadata.internal/')).resolves.toContain('link-local');
    await expect(open.problem('url', 'http://169.254.169.254/')).resolves.toContain('link-local');
  });
});

describe('target policy: at connect time', () => {
  let server: Server;
  let port: number;
  let connections = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const get = (agent: Agent, host: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request({ host, port, path: '/', agent }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  it('checks the address the socket will use: a name that rebinds to loopback is never connected to', async () => {
    // The name was public when it was registered; now it answers 127.0.0.1.
    let answer = '93.184.216.34';
    const rebinding: Resolver = async () => [{ address: answer, family: 4 }];
    const policy = new TargetPolicy([], rebinding);
    await expect(policy.problem('url', 'http://rebind.example.com/')).resolves.toBeUndefined();
    answer = '127.0.0.1';
    const before = connections;
    const agent = new Agent({ lookup: policy.lookup as never });
    await expect(get(agent, 'rebind.example.com')).rejects.toThrow('non-public');
    expect(connections).toBe(before);
    // The same lookup lets an allowed name through to the same server.
    const allowing = new TargetPolicy(['rebind.example.com'], rebinding);
    await expect(get(new Agent({ lookup: allowing.lookup as never }), 'rebind.example.com')).resolves.toBe(200);
    expect(connections).toBe(before + 1);
  });
});
