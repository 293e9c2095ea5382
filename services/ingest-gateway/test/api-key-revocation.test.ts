import { hashSecret, generateSecret, newId } from '@pingback/security';
import { createAuthWorld, type AuthWorld } from './support/auth-world';

describe('revoking API keys', () => {
  let world: AuthWorld;

  beforeAll(async () => {
    world = await createAuthWorld();
  });
  afterAll(() => world?.close());

  async function accountWithTwoKeys() {
    const account = await world.newAccount();
    const value = generateSecret('pbk_');
    const second = await world.accounts.addKey(account.id, { id: newId('key_'), keyHash: hashSecret(world.keyring, value), hint: 'pbk_…test', name: 'second' });
    const keys = await world.accounts.listActiveKeys(account.id, { limit: 10 });
    return { account, keyIds: keys.map((k) => k.id), secondId: second.id };
  }

  test('when the last two keys of an account are revoked at the same moment, then exactly one is revoked, every time', async () => {
    for (let round = 0; round < 10; round++) {
      const { account, keyIds } = await accountWithTwoKeys();
      const outcomes = await Promise.all(keyIds.map((id) => world.accounts.revokeKey(account.id, id, new Date())));
      expect(outcomes.sort()).toEqual(['last_key', 'revoked']);
      expect(await world.accounts.listActiveKeys(account.id, { limit: 10 })).toHaveLength(1);
    }
  });

  test("when a key of another account is named, then not_found and the key stays", async () => {
    const owner = await accountWithTwoKeys();
    const stranger = await world.newAccount();
    expect(await world.accounts.revokeKey(stranger.id, owner.secondId, new Date())).toBe('not_found');
    expect(await world.accounts.listActiveKeys(owner.account.id, { limit: 10 })).toHaveLength(2);
  });
});
