import type { Channel } from '../generated/prisma/client';

/** The secrets that sign a channel's POSTs now, encrypted, current first; the previous one only during its overlap. */
export function currentSigningSecrets(channel: Channel, now: Date): string[] {
  const previousValid = channel.previousSigningSecret && channel.previousSecretValidUntil && channel.previousSecretValidUntil > now;
  return previousValid ? [channel.signingSecret, channel.previousSigningSecret!] : [channel.signingSecret];
}
