/** What a channel keeps of its signing secrets, encrypted. */
export interface ChannelSecrets {
  signingSecret: string;
  previousSigningSecret: string | null;
  previousSecretValidUntil: Date | null;
}

/** The secrets that sign a channel's POSTs now, encrypted, current first; the previous one only during its overlap. */
export function currentSigningSecrets(channel: ChannelSecrets, now: Date): string[] {
  const previousValid = channel.previousSigningSecret && channel.previousSecretValidUntil && channel.previousSecretValidUntil > now;
  return previousValid ? [channel.signingSecret, channel.previousSigningSecret!] : [channel.signingSecret];
}
