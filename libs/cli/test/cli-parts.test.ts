import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseButton } from '../src/commands/send';
import { buildProgram } from '../src/program';
import { resolveCredentials } from '../src/credentials';
import { CliError } from '../src/exit-codes';

describe('--button key:Label', () => {
  test('when a button is written key:Label, then the key is the answer and the label is shown; a bare word is both', () => {
    expect(parseButton('deploy:Deploy now')).toEqual({ type: 'button', key: 'deploy', label: 'Deploy now' });
    expect(parseButton('ok')).toEqual({ type: 'button', key: 'ok', label: 'ok' });
    expect(parseButton('time:12:30')).toEqual({ type: 'button', key: 'time', label: '12:30' });
  });

  test('when the key or the label is empty, then it is a usage error', () => {
    expect(() => parseButton(':Deploy')).toThrow(CliError);
    expect(() => parseButton('deploy:')).toThrow(CliError);
  });
});

describe('where credentials come from', () => {
  const config = join(mkdtempSync(join(tmpdir(), 'pingback-parts-')), 'config.json');
  writeFileSync(config, JSON.stringify({ url: 'http://saved.test/', api_key: 'pbk_saved', channel_token: 'pbt_saved' }));

  test('when nothing else says, then the config file does; the environment beats it, and a flag beats both', () => {
    expect(resolveCredentials({}, { PINGBACK_CONFIG: config })).toEqual({ url: 'http://saved.test', apiKey: 'pbk_saved', channelToken: 'pbt_saved' });
    expect(resolveCredentials({}, { PINGBACK_CONFIG: config, PINGBACK_API_KEY: 'pbk_env' }).apiKey).toBe('pbk_env');
    expect(resolveCredentials({ key: 'pbk_flag' }, { PINGBACK_CONFIG: config, PINGBACK_API_KEY: 'pbk_env' }).apiKey).toBe('pbk_flag');
  });

  test('when there is no config file, then the address defaults to a local Pingback and the key is unknown', () => {
    expect(resolveCredentials({}, { PINGBACK_CONFIG: join(tmpdir(), 'no-such-pingback-config.json') })).toEqual({ url: 'http://localhost:8080', apiKey: undefined, channelToken: undefined });
  });
});

describe('help', () => {
  test.each(['send', 'approve', 'run', 'tail'])('when %s --help is read, then it lists the credential options it reads', (name) => {
    const command = buildProgram(() => undefined).commands.find((c) => c.name() === name)!;
    const help = command.helpInformation();
    for (const option of ['--url', '--key', '--token']) expect(help).toContain(option);
  });
});
