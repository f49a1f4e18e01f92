import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateWebhookSecret, signatureHeader } from '../src/modules/webhook/webhook-signing';

// The hand-written verification example of docs/webhooks.md, run as a receiver would.
describe('docs/webhooks.md', () => {
  const markdown = fs.readFileSync(path.join(__dirname, '..', 'docs', 'webhooks.md'), 'utf8');
  const blocks = [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  const byHand = blocks.find((b) => b.includes('function verify('));

  it('has a verification example by hand that accepts our signatures and refuses forgeries', () => {
    expect(byHand).toBeDefined();
    // The guide's example is code to run as written: evaluating it is the test.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const verify = new Function('require', `${byHand}\nreturn verify;`)(require) as (
      secret: string,
      headers: Record<string, string>,
      body: string,
    ) => boolean;
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const body = JSON.stringify({ id: 'msg_1', type: 'assessment.closed', data: { result: { overallScore: 61.4 } } });
    const now = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(now),
      'webhook-signature': signatureHeader([newSecret, oldSecret], 'msg_1', now, body),
    };
    expect(verify(newSecret, headers, body)).toBe(true);
    expect(verify(oldSecret, headers, body)).toBe(true);
    expect(verify(generateWebhookSecret(), headers, body)).toBe(false);
    expect(verify(newSecret, headers, body.replace('61.4', '99'))).toBe(false);
    const old = now - 600;
    expect(
      verify(
        newSecret,
        {
          ...headers,
          'webhook-timestamp': String(old),
          'webhook-signature': signatureHeader([newSecret], 'msg_1', old, body),
        },
        body,
      ),
    ).toBe(false);
  });

  it('names every event type the API sends', () => {
    for (const type of [
      'assessment.opened',
      'respondent.submitted',
      'assessment.closed',
      'assessment.cancelled',
      'framework.published',
    ]) {
      expect(markdown).toContain(`\`${type}\``);
    }
  });
});
