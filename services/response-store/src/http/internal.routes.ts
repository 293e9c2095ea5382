import {
  AnswerRequest,
  InternalMessageListQuery,
  ResponseStoreRoutes as Routes,
  type InboxPage,
  type LinkView,
  type MessageList,
  type MessageRecord,
  type PollResponse,
  type PublicMessage,
} from '@pingback/contracts';
import { jsonBody, notFound } from '@pingback/http';
import { Router } from 'express';
import { z } from 'zod';
import { publicMessage } from '../domain/view-link';
import { listInbox, viewLink } from '../domain/view-link';
import { listMessages } from '../domain/list-messages';
import { readAnswerOnce } from '../domain/read-answer-once';
import { submitAnswer } from '../domain/submit-answer';
import type { SubmitAnswerDeps } from '../domain/submit-answer';
import type { ReadAnswerDeps } from '../domain/read-answer-once';
import type { OutboxRelay } from '../messaging/outbox-relay';

const PollQuery = z.object({ channel: z.string().min(1) });
/** A message id, as the previous inbox page's `next_before` gave it. */
const InboxQuery = z.object({ before: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/).optional() });

/** Synchronous questions from the gateway. Only reachable on the internal port. */
export function internalRoutes(store: { answers: SubmitAnswerDeps & ReadAnswerDeps; relay: Pick<OutboxRelay, 'kick'> }): Router {
  const router = Router();
  router.use(jsonBody(64 * 1024));

  router.get(Routes.viewLink.pattern, async (req, res) => {
    const view: LinkView = await viewLink(store.answers, req.params.token);
    res.json(view);
  });

  router.post(Routes.submitAnswer.pattern, async (req, res) => {
    const answer = AnswerRequest.parse(req.body);
    const message = await submitAnswer(store.answers, req.params.token, answer, req.traceId);
    store.relay.kick();
    const answered: PublicMessage = publicMessage(message);
    res.status(201).json(answered);
  });

  router.get(Routes.listMessages.pattern, async (req, res) => {
    const list: MessageList = await listMessages(store.answers, InternalMessageListQuery.parse(req.query));
    res.json(list);
  });

  router.get(Routes.poll.pattern, async (req, res) => {
    const { channel } = PollQuery.parse(req.query);
    const result: PollResponse | null = await readAnswerOnce(store.answers, channel, req.params.id);
    if (!result) throw notFound('message');
    res.json(result);
  });

  router.get(Routes.readMessage.pattern, async (req, res) => {
    const message = await store.answers.repo.findById(req.params.id);
    if (!message) throw notFound('message');
    const record: MessageRecord = { ...publicMessage(message), account_id: message.accountId, callback_state: message.callbackState };
    res.json(record);
  });

  // The gateway deletes a channel: nobody could read an answer any more, so its open messages close now.
  router.post(Routes.expireOpenMessages.pattern, async (req, res) => {
    res.json({ expired: await store.answers.repo.closeChannel(req.params.id, store.answers.clock.now()) });
  });

  router.get(Routes.inbox.pattern, async (req, res) => {
    const { before } = InboxQuery.parse(req.query);
    const page: InboxPage = await listInbox(store.answers, req.params.id, { before });
    res.json(page);
  });

  return router;
}
