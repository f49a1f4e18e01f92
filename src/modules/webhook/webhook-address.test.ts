import { DisallowedAddressError, isPublicAddress, resolveDeliveryAddress } from './webhook-address';
import { webhookUrlProblem } from './webhook-url';
import { nextAttemptAt, retryDelayMs } from './webhook.worker';
import type { WebhookConfig } from '../../config';

describe('webhook addresses', () => {
  it.each([
    '127.0.0.1',
    '127.255.0.9',
    '10.0.0.1',
    '172.16.5.4',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '192.0.2.10',
    '198.18.0.1',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:c0a8:101::1',
    '2001:db8::1',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
  ])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });

  it('refuses a name that resolves to a loopback address, unless private networks are allowed', async () => {
    await expect(resolveDeliveryAddress('localhost', false)).rejects.toThrow(DisallowedAddressError);
    await expect(resolveDeliveryAddress('localhost', false)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
    );
    expect((await resolveDeliveryAddress('localhost', true)).address).toMatch(/^(127\.0\.0\.1|::1)$/);
    await expect(resolveDeliveryAddress('[::1]', false)).rejects.toThrow(/not a public address/);
    expect(await resolveDeliveryAddress('8.8.8.8', false)).toEqual({ address: '8.8.8.8', family: 4 });
  });

  it('validates URLs at registration', () => {
    expect(webhookUrlProblem('https://hooks.example.com/ssm?x=1', false)).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/ssm', false)).toMatch(/must start with https:\/\//);
    expect(webhookUrlProblem('http://127.0.0.1:8080/ssm', true)).toBeNull();
    expect(webhookUrlProblem('https://127.0.0.1/x', false)).toBe('must be a public address, not 127.0.0.1');
    expect(webhookUrlProblem('https://[fe80::1]/x', false)).toBe('must be a public address, not [fe80::1]');
    expect(webhookUrlProblem('https://LOCALHOST./x', false)).toMatch(/public address/);
    expect(webhookUrlProblem('https://api.localhost/x', false)).toMatch(/public address/);
    expect(webhookUrlProblem('https://u:p@example.com/', false)).toMatch(/user name or password/);
    expect(webhookUrlProblem('https://example.com/#x', false)).toMatch(/fragment/);
    expect(webhookUrlProblem('example.com/x', false)).toBe('is not an absolute URL');
    expect(webhookUrlProblem('javascript:alert(1)', true)).toMatch(/must start with/);
  });
});

describe('webhook retry schedule', () => {
  const config: WebhookConfig = {
    allowPrivateNetworks: false,
    timeoutMs: 10000,
    retryBaseDelayMs: 30000,
    retryMaxDelayMs: 4 * 3600000,
    retryWindowMs: 24 * 3600000,
    concurrency: 2,
    pollIntervalMs: 2000,
  };

  it('doubles the delay from the base up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(config, n))).toEqual([30000, 60000, 120000, 240000, 480000]);
    expect(retryDelayMs(config, 20)).toBe(4 * 3600000);
    expect(retryDelayMs(config, 1000)).toBe(4 * 3600000);
  });

  it('retries for the whole window, the last attempt at its end, then gives up', () => {
    const created = new Date('2026-01-01T00:00:00Z');
    let now = created;
    const times: Date[] = [];
    for (let failures = 1; ; failures++) {
      const next = nextAttemptAt(config, created, failures, now);
      if (!next) break;
      times.push(next);
      now = next;
    }
    // 30 s, 1, 2, 4, … min, then every 4 h until 24 h after the event.
    expect(times[0].getTime() - created.getTime()).toBe(30000);
    expect(times.at(-1)!.getTime() - created.getTime()).toBe(24 * 3600000);
    expect(times.length).toBeGreaterThan(12);
    expect(times.length).toBeLessThan(20);
  });
});
