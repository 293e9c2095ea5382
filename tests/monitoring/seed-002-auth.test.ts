import { createChannel, request } from '../support/api';
import { MONITORING_SERVICES, startStack, type Stack } from '../support/stack';

let stack: Stack;
let apiKey: string;
let otherKey: string;

beforeAll(async () => {
  stack = await startStack({}, MONITORING_SERVICES);
  apiKey = (await createChannel(stack)).apiKey;
  otherKey = (await createChannel(stack)).apiKey;
}, 120_000);
afterAll(() => stack?.stop());

describe("seed 002's key, in each of its four places", () => {
  test('when the key is in the query, a Bearer header, the JSON body or the access_token cookie, then the route answers', async () => {
    const asQuery = await request(`${stack.url}/api/alerts?key=${apiKey}`);
    const asBearer = await request(`${stack.url}/api/alerts`, { headers: { authorization: `Bearer ${apiKey}` } });
    const asCookie = await request(`${stack.url}/api/alerts`, { headers: { cookie: `access_token=${apiKey}` } });
    const asBody = await request(`${stack.url}/api/alerts/alr_01KBCDEFGHJKMNPQRSTVWXYZ00/acknowledge`, { body: { key: apiKey } });
    for (const answer of [asQuery, asBearer, asCookie]) expect(answer).toMatchObject({ status: 200, body: { data: [], next_cursor: null } });
    expect(asBody).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  test('when there is no key or an unknown one, then 401 unauthorized with WWW-Authenticate', async () => {
    const missing = await request(`${stack.url}/hbk/cron_backup`);
    const unknown = await request(`${stack.url}/hbk/cron_backup?key=pbk_notakey`);
    for (const answer of [missing, unknown]) {
      expect(answer).toMatchObject({ status: 401, body: { error: 'unauthorized' } });
      expect(answer.headers.get('www-authenticate')).toBeTruthy();
    }
  });

  test("when another account's key names an alert channel it does not own, then 400 validation_failed names the field", async () => {
    const mine = await createChannel(stack);
    const created = await request(`${stack.url}/api/heartbeats`, { body: { name: 'x', interval_seconds: 60, grace_seconds: 10, alert_channels: [mine.channelId] }, headers: { authorization: `Bearer ${otherKey}` } });
    expect(created).toMatchObject({ status: 400, body: { error: 'validation_failed', fields: [{ path: 'alert_channels.0' }] } });
  });
});
