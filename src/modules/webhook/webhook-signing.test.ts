import { Webhook } from 'standardwebhooks';
import {
  generateWebhookSecret,
  hasValidSignature,
  signWebhook,
  signatureHeader,
  verifyWebhook,
} from './webhook-signing';

// The test vector published with the Standard Webhooks specification.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook signing', () => {
  it("reproduces the Standard Webhooks specification's test vector", () => {
    expect(signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
  });

  it('verifies the vector, and refuses a changed body, id, timestamp or secret', () => {
    const { secret, id, timestamp, body, signature } = VECTOR;
    expect(hasValidSignature(secret, id, timestamp, body, signature)).toBe(true);
    expect(hasValidSignature(secret, id, timestamp, '{"test": 2432232315}', signature)).toBe(false);
    expect(hasValidSignature(secret, 'msg_other', timestamp, body, signature)).toBe(false);
    expect(hasValidSignature(secret, id, timestamp + 1, body, signature)).toBe(false);
    expect(hasValidSignature(generateWebhookSecret(), id, timestamp, body, signature)).toBe(false);
  });

  it('checks the age of the timestamp (5 minutes by default)', () => {
    const { secret, id, timestamp, body, signature } = VECTOR;
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(verifyWebhook(secret, headers, body, { now: new Date((timestamp + 299) * 1000) })).toBe(true);
    expect(verifyWebhook(secret, headers, body, { now: new Date((timestamp + 301) * 1000) })).toBe(false);
    expect(
      verifyWebhook(secret, { ...headers, 'webhook-timestamp': 'soon' }, body, { now: new Date(timestamp * 1000) }),
    ).toBe(false);
  });

  it('signs with every secret of a rotation, and the standardwebhooks library accepts each', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    expect(newSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'assessment.closed', data: { score: 61.5 } });
    const header = signatureHeader([newSecret, oldSecret], 'msg_1', now, body);
    expect(header.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'msg_1', 'webhook-timestamp': String(now), 'webhook-signature': header };
    for (const secret of [oldSecret, newSecret]) {
      expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    }
    expect(() => new Webhook(generateWebhookSecret()).verify(body, headers)).toThrow();
  });
});
