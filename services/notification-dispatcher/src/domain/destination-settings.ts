import type { DestinationInput, DestinationKind, DestinationSettings, DestinationView } from '@pingback/contracts';
import { decryptSecret, encryptSecret, type Keyring } from '@pingback/security';
import type { Prisma } from '../generated/prisma/client';
import type { StoredDestination } from '../data/destination.repository';

/** The settings of each kind that are secrets: stored encrypted (AES-256-GCM), shown by their last four characters. */
const SECRET_FIELDS: Partial<Record<DestinationKind, readonly string[]>> = { pagerduty: ['routing_key'] };

const lastFour = (value: string) => `…${value.slice(-4)}`;

/** What is stored for an input: its settings without `type`, secrets encrypted. */
export function storedSettings(keyring: Keyring, input: DestinationInput): Prisma.InputJsonObject {
  const { type, ...settings } = input;
  const stored: Record<string, unknown> = { ...settings };
  for (const field of SECRET_FIELDS[type] ?? []) stored[field] = encryptSecret(keyring, String(stored[field]));
  return stored as Prisma.InputJsonObject;
}

/** The settings an adapter is given: secrets decrypted. */
export function adapterSettings<K extends DestinationKind>(keyring: Keyring, destination: { kind: string; settings: unknown }): DestinationSettings<K> {
  const settings = { ...(destination.settings as Record<string, unknown>) };
  for (const field of SECRET_FIELDS[destination.kind as DestinationKind] ?? []) settings[field] = decryptSecret(keyring, String(settings[field]));
  return settings as DestinationSettings<K>;
}

/** A destination as its owner sees it: every setting but secrets, which show their last four characters. */
export function destinationView(keyring: Keyring, destination: StoredDestination): DestinationView {
  const settings = adapterSettings(keyring, destination) as Record<string, unknown>;
  for (const field of SECRET_FIELDS[destination.kind as DestinationKind] ?? []) settings[field] = lastFour(String(settings[field]));
  return {
    id: destination.id,
    type: destination.kind,
    ...settings,
    active: destination.active,
    created_at: destination.createdAt.toISOString(),
  };
}
