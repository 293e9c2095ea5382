import { AnswerRequest, ResponseStoreRoutes } from '@pingback/contracts';
import { AppError } from '@pingback/http';
import type { GatewayDeps } from '../gateway-deps';
import { sendPage } from '../pages/layout';
import { respondPage } from '../pages/respond-page';
import { respondLinkRouter } from './families';
import { formOrJsonBody, isForm } from './form-or-json-body';
import type { RouteFamily } from './route-family';

const FORM_LIMIT = 64 * 1024;

/** A urlencoded form from the respond page: `triggered_by` and `responses.<key>` fields; empty inputs are left out. */
function answerFromForm(form: Record<string, unknown>): AnswerRequest {
  const responses: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name.startsWith('responses.') && typeof value === 'string' && value !== '') responses[name.slice('responses.'.length)] = value;
  }
  return AnswerRequest.parse({ triggered_by: form.triggered_by, responses });
}

/**
 * The respond link (CONTRACT §5). GET shows the page and never changes anything. POST answers: a form
 * from the page gets a page back, JSON gets JSON (201, 409 already_responded, 410 link_expired). The family
 * checks the link's signature first (only a token this deployment signed goes on to response-store, never a
 * path segment like ".."); its error handler turns failures into pages for browsers.
 */
/**
 * A link opened in the first instants after its send may reach response-store before the message is recorded
 * there: it waits for the record (PINGBACK_LINK_RECORD_WAIT_MS, 5 s), so the gateway waits longer than that.
 */
const LINK_CALL_TIMEOUT_MS = 7_000;

export function respondRoutes(deps: GatewayDeps): RouteFamily {
  const routes = respondLinkRouter(deps);
  const viewLink = (token: string, traceId: string) =>
    deps.responseStore(ResponseStoreRoutes.viewLink, { params: { token }, traceId, timeoutMs: LINK_CALL_TIMEOUT_MS });

  routes.get('/r/:token', async (req, res) => {
    const body = await viewLink(req.params.token, req.traceId);
    sendPage(res, body.state === 'expired' ? 410 : 200, body.message.title, respondPage(body.message, body.state));
  });

  routes.post('/r/:token', formOrJsonBody(FORM_LIMIT), async (req, res) => {
    const form = isForm(req);
    try {
      const answer = form ? answerFromForm(req.body) : AnswerRequest.parse(req.body ?? {});
      const body = await deps.responseStore(ResponseStoreRoutes.submitAnswer, {
        params: { token: req.params.token },
        body: answer,
        traceId: req.traceId,
        timeoutMs: LINK_CALL_TIMEOUT_MS,
      });
      if (!form) return void res.status(201).json({ ok: true, message_id: body.id, answer: body.answer });
      sendPage(res, 201, body.title, respondPage(body, 'answered'));
    } catch (err) {
      if (!form || !(err instanceof AppError) || err.status >= 500) throw err;
      if (err.code === 'already_responded' || err.code === 'validation_failed') {
        const body = await viewLink(req.params.token, req.traceId);
        const status = err.code === 'already_responded' ? 409 : 400;
        const notice =
          err.code === 'validation_failed'
            ? '<p class="notice">Please choose one of the options.</p>'
            : '<p class="notice">This was already answered; your choice was not recorded.</p>';
        return sendPage(res, status, body.message.title, notice + respondPage(body.message, body.state));
      }
      throw err;
    }
  });

  return routes;
}
