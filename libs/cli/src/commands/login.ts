import { callApi, refusal } from '../api-client';
import { configPath, readSaved, writeSaved, type CredentialFlags } from '../credentials';
import { CliError, EXIT } from '../exit-codes';

/**
 * `pingback login --url URL --key KEY [--token TOKEN]`: checks the key against the API, then saves what was given
 * to the config file (readable by its owner alone), over what it held before.
 */
export async function login(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const path = configPath(env);
  const saved = readSaved(path);
  const url = (flags.url ?? saved.url ?? env.PINGBACK_URL)?.replace(/\/+$/, '');
  const key = flags.key ?? saved.api_key;
  if (!url || !key) throw new CliError('pingback login needs --url and --key (the API key, pbk_…)');
  const checked = await callApi(url, '/api/channels', { key, query: { limit: 1 } });
  if (checked.status !== 200) throw refusal(checked);
  writeSaved(path, { ...saved, url, api_key: key, ...(flags.token ? { channel_token: flags.token } : {}) });
  process.stderr.write(`saved to ${path}\n`);
  return EXIT.ok;
}
