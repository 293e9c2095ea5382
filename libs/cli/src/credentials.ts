import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError } from './exit-codes';

/** What `pingback login` writes, and the commands read when neither a flag nor the environment says. */
export interface SavedCredentials {
  url?: string;
  api_key?: string;
  channel_token?: string;
}

export interface Credentials {
  url: string;
  apiKey: string | undefined;
  channelToken: string | undefined;
}

export interface CredentialFlags {
  url?: string;
  key?: string;
  token?: string;
}

export const DEFAULT_URL = 'http://localhost:8080';

/** `PINGBACK_CONFIG`, or `$XDG_CONFIG_HOME/pingback/config.json`, or `~/.config/pingback/config.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PINGBACK_CONFIG) return env.PINGBACK_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pingback', 'config.json');
}

export function readSaved(path: string): SavedCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return {};
  }
  try {
    const saved = JSON.parse(text) as unknown;
    return saved && typeof saved === 'object' ? (saved as SavedCredentials) : {};
  } catch {
    throw new CliError(`${path} is not JSON: run pingback login again`);
  }
}

/** Writes the config file readable by its owner alone (it holds an API key). */
export function writeSaved(path: string, saved: SavedCredentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Each credential from its flag, else the environment (`PINGBACK_URL`, `PINGBACK_API_KEY`, `PINGBACK_TOKEN`), else the config file. */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): Credentials {
  const saved = readSaved(configPath(env));
  return {
    url: (flags.url ?? env.PINGBACK_URL ?? saved.url ?? DEFAULT_URL).replace(/\/+$/, ''),
    apiKey: flags.key ?? env.PINGBACK_API_KEY ?? saved.api_key,
    channelToken: flags.token ?? env.PINGBACK_TOKEN ?? saved.channel_token,
  };
}

export function requireKey(credentials: Credentials): string {
  if (!credentials.apiKey) throw new CliError('no API key: pass --key, set PINGBACK_API_KEY, or run pingback login');
  return credentials.apiKey;
}

export function requireToken(credentials: Credentials): string {
  if (!credentials.channelToken) throw new CliError('no channel token: pass --token, set PINGBACK_TOKEN, or run pingback login --token');
  return credentials.channelToken;
}
