import { unauthorized } from '@pingback/http';
import { hashCandidates, type Keyring } from '@pingback/security';
import type { RequestHandler } from 'express';
import type { CredentialFailures } from '../cache/credential-failures';
import type { ChannelCache } from '../cache/channel-cache';
import { refuseCredential } from './refuse-credential';
import './request-context';

/** Send and poll: the channel token in the path (`:token`); unknown or rotated-away tokens get 401. Sets req.channel. */
export function channelTokenAuth(deps: { channelLookup: Pick<ChannelCache, 'findByTokenHash'>; keyring: Keyring; credentialFailures: CredentialFailures }): RequestHandler {
  return async (req, _res, next) => {
    const token = typeof req.params.token === 'string' ? req.params.token : '';
    const channel = await deps.channelLookup.findByTokenHash(hashCandidates(deps.keyring, token));
    if (!channel) return refuseCredential(deps.credentialFailures, 'channel-token', req, unauthorized('unknown channel token'));
    req.channel = channel;
    next();
  };
}
