import { waitFor } from '../src';

describe('waitFor', () => {
  it('when the condition turns true after some tries, then it resolves with the first found value', async () => {
    let calls = 0;
    const found = await waitFor(() => (++calls >= 3 ? `call ${calls}` : undefined), { intervalMs: 1 });
    expect(found).toBe('call 3');
  });

  it('when the condition throws at first, then the throws count as not yet', async () => {
    let calls = 0;
    const found = await waitFor(
      () => {
        calls += 1;
        if (calls < 3) throw new Error('not yet');
        return true;
      },
      { intervalMs: 1 },
    );
    expect(found).toBe(true);
  });

  it('when the deadline passes, then it rejects naming the condition and its last error', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('still broken');
        },
        { timeoutMs: 20, intervalMs: 5, description: 'the broken thing' },
      ),
    ).rejects.toThrow(/the broken thing.*still broken/);
  });
});
