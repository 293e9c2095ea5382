import { callApi, refusal } from '../api-client';
import { checkedUrl, configPath, readSaved, writeSaved, type CredentialFlags } from '../credentials';
import { CliError, EXIT } from '../exit-codes';

/**
 * `pingback login --url URL --key KEY [--token TOKEN]`: checks the key against the API, then saves what was given
 * to the config file (readable by its owner alone), over what it held before.
 */
export async function login(flags: CredentialFlags, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const path = configPath(env);
  const saved = readSaved(path);
  const given = flags.url ?? env.PINGBACK_URL ?? saved.url;
  const key = flags.key ?? saved.api_key;
  if (!given || !key) throw new CliError('pingback login needs --url and --key (the API key, pbk_…; PINGBACK_API_KEY keeps it out of ps)');
  const url = checkedUrl(given);
  const checked = await callApi<{ data?: unknown }>(url, '/api/channels', { key, query: { limit: 1 } });
  if (checked.status !== 200) throw refusal(checked);
  if (!Array.isArray(checked.body.data)) throw new CliError(`${url} does not answer as Pingback does: check --url`);
  writeSaved(path, { ...saved, url, api_key: key, ...(flags.token ? { channel_token: flags.token } : {}) });
  process.stderr.write(`saved to ${path}\n`);
  return EXIT.ok;
}
