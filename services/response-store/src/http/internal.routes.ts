import { AnswerRequest, InternalMessageListQuery } from '@pingback/contracts';
import { jsonBody, notFound } from '@pingback/http';
import { Router } from 'express';
import { z } from 'zod';
import { publicMessage } from '../domain/view-link';
import { listInbox, viewLink } from '../domain/view-link';
import { listMessages } from '../domain/list-messages';
import { readAnswerOnce } from '../domain/read-answer-once';
import { submitAnswer } from '../domain/submit-answer';
import type { ResponseStore } from '../response-store';

const PollQuery = z.object({ channel: z.string().min(1) });

/** Synchronous questions from the gateway. Only reachable on the internal port. */
export function internalRoutes(store: ResponseStore): Router {
  const router = Router();
  router.use(jsonBody(64 * 1024));

  router.get('/internal/links/:token', async (req, res) => {
    res.json(await viewLink(store.deps, req.params.token));
  });

  router.post('/internal/links/:token/answer', async (req, res) => {
    const answer = AnswerRequest.parse(req.body);
    const message = await submitAnswer(store.deps, req.params.token, answer, req.traceId);
    store.relay.kick();
    res.status(201).json(publicMessage(message));
  });

  router.get('/internal/messages', async (req, res) => {
    res.json(await listMessages(store.deps, InternalMessageListQuery.parse(req.query)));
  });

  router.get('/internal/messages/:id/poll', async (req, res) => {
    const { channel } = PollQuery.parse(req.query);
    const result = await readAnswerOnce(store.deps, channel, req.params.id);
    if (!result) throw notFound('message');
    res.json(result);
  });

  router.get('/internal/messages/:id', async (req, res) => {
    const message = await store.deps.repo.findById(req.params.id);
    if (!message) throw notFound('message');
    res.json({ ...publicMessage(message), account_id: message.accountId, callback_state: message.callbackState });
  });

  // The gateway deletes a channel: nobody could read an answer any more, so its open messages close now.
  router.post('/internal/channels/:id/expire-open', async (req, res) => {
    res.json({ expired: await store.deps.repo.expireOpenMessagesOfChannel(req.params.id, store.deps.clock.now()) });
  });

  router.get('/internal/channels/:id/inbox', async (req, res) => {
    res.json({ data: await listInbox(store.deps, req.params.id) });
  });

  return router;
}
