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

/**
 * What the config file says: its string fields. A file that is missing says nothing; one that cannot be read as
 * JSON says nothing either, with a warning (flags and the environment still work, and `pingback login` rewrites it).
 */
export function readSaved(path: string): SavedCredentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') process.stderr.write(`pingback: ignoring ${path}: ${(err as Error).message}\n`);
    return {};
  }
  let saved: unknown;
  try {
    saved = JSON.parse(text);
  } catch {
    process.stderr.write(`pingback: ignoring ${path}: it is not JSON (pingback login writes it again)\n`);
    return {};
  }
  if (!saved || typeof saved !== 'object') return {};
  const field = (name: keyof SavedCredentials) => {
    const value = (saved as Record<string, unknown>)[name];
    return typeof value === 'string' && value !== '' ? { [name]: value } : {};
  };
  return { ...field('url'), ...field('api_key'), ...field('channel_token') };
}

/** Writes the config file readable by its owner alone (it holds an API key). */
export function writeSaved(path: string, saved: SavedCredentials): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** An http(s) URL, without a trailing slash (a path prefix is kept: Pingback may be served under one). */
export function checkedUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`not a URL: "${url}" (e.g. http://localhost:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`not an http(s) URL: "${url}"`);
  return url.replace(/\/+$/, '');
}

/** Each credential from its flag, else the environment (`PINGBACK_URL`, `PINGBACK_API_KEY`, `PINGBACK_TOKEN`), else the config file. */
export function resolveCredentials(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): Credentials {
  const needsFile = !(flags.url ?? env.PINGBACK_URL) || !(flags.key ?? env.PINGBACK_API_KEY) || !(flags.token ?? env.PINGBACK_TOKEN);
  const saved = needsFile ? readSaved(configPath(env)) : {};
  return {
    url: checkedUrl(flags.url || env.PINGBACK_URL || saved.url || DEFAULT_URL),
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
