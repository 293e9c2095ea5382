import type { ApprovalLinkView } from '@pingback/contracts';
import { approvalLinkPage, approvalThanksPage } from '../src/pages/approval-page';

const PENDING: ApprovalLinkView = {
  approvalId: 'apr_01',
  context: 'Publish blog post: Q4 Earnings Report\n(1,500 words)',
  reviewerName: 'Grace Hopper',
  status: 'pending',
  result: null,
  notes: null,
  decidedBy: null,
  decidedAt: null,
  expiresAt: '2026-12-01T09:30:00.000Z',
};

const APPROVED: ApprovalLinkView = {
  ...PENDING,
  status: 'approved',
  result: 1,
  notes: 'Looks good,\nproceed!',
  decidedBy: 'Ada Lovelace',
  decidedAt: '2026-12-01T09:27:41.123Z',
};

/** Each one would run or render something if it reached the page as markup. */
const XSS = ['<script>window.__xss=1</script>', '"><img src=x onerror="window.__xss=1">', '</textarea><svg onload=window.__xss=1>', "'><b>bold</b>"].join('\n');

/** The elements the pages are made of: anything else could only have come from user text. */
const PAGE_TAGS = new Set(['h1', 'div', 'p', 'strong', 'br', 'form', 'label', 'textarea', 'button', 'ul', 'li']);

const tagsOf = (html: string) => [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)].map(([, name = '', attributes = '']) => ({ name: name.toLowerCase(), attributes }));
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };
/** What a person reads: the text without its tags, line breaks kept. */
const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/&(amp|lt|gt|quot|#39);/g, (entity) => ENTITIES[entity]!);
const buttonsOf = (html: string) => [...html.matchAll(/<button[^>]*>([^<]*)<\/button>/g)].map(([, label]) => label);

describe('the approval link page', () => {
  test('when the approval is pending and the link approves, then it asks to approve, with the context, reviewer, expiry, a note and one Approve button', () => {
    const page = approvalLinkPage(PENDING, 'approve');

    expect(page.title).toBe('Approve this request?');
    expect(page.content).toContain('<h1>Approve this request?</h1>');
    expect(textOf(page.content)).toContain('Publish blog post: Q4 Earnings Report\n(1,500 words)');
    expect(textOf(page.content)).toContain('Grace Hopper');
    expect(textOf(page.content)).toContain('Expires at 2026-12-01 09:30 UTC');
    expect(page.content).toMatch(/<form method="post">/);
    expect(page.content).toMatch(/<textarea id="notes" name="notes" [^>]*maxlength="2000"[^>]*><\/textarea>/);
    expect(page.content).toMatch(/<label for="notes">/);
    expect(buttonsOf(page.content)).toEqual(['Approve']);
    expect(page.content).toMatch(/<button type="submit"/);
  });

  test('when the link denies, then the page asks to deny and its one button says Deny', () => {
    const page = approvalLinkPage(PENDING, 'deny');

    expect(page.title).toBe('Deny this request?');
    expect(buttonsOf(page.content)).toEqual(['Deny']);
    expect(textOf(page.content)).not.toContain('Approve');
  });

  test('when the context has line breaks, then they stay in a block that keeps them', () => {
    const page = approvalLinkPage(PENDING, 'approve');
    expect(page.content).toContain('<div class="body">Publish blog post: Q4 Earnings Report\n(1,500 words)</div>');
  });

  test('when the approval was approved, then the page shows the final state with result, who, when and notes and no form', () => {
    const page = approvalLinkPage(APPROVED, 'deny');
    const text = textOf(page.content);

    expect(page.title).toBe('Approved');
    expect(page.content).toContain('<h1>Approved</h1>');
    expect(text).toContain('Result: approved (1)');
    expect(text).toContain('Decided by: Ada Lovelace');
    expect(text).toContain('Decided at: 2026-12-01 09:27 UTC');
    expect(text).toContain('Looks good,\nproceed!');
    expect(page.content).not.toContain('<form');
    expect(buttonsOf(page.content)).toEqual([]);
  });

  test('when the approval was denied without notes, then the page says Denied with result 0 and lists no notes', () => {
    const page = approvalLinkPage({ ...APPROVED, status: 'denied', result: 0, notes: null }, 'approve');

    expect(page.title).toBe('Denied');
    expect(textOf(page.content)).toContain('Result: denied (0)');
    expect(textOf(page.content)).not.toContain('Notes');
    expect(page.content).not.toContain('<form');
  });

  test('when the approval expired, then the page says so and shows the default that applied', () => {
    const page = approvalLinkPage({ ...PENDING, status: 'expired', result: 0, decidedBy: 'timeout', decidedAt: PENDING.expiresAt }, 'approve');
    const text = textOf(page.content);

    expect(page.title).toBe('Expired');
    expect(text).toContain('Nobody decided before the deadline, so the default applied.');
    expect(text).toContain('Result: denied (0)');
    expect(text).toContain('Decided by: timeout');
    expect(text).toContain('Decided at: 2026-12-01 09:30 UTC');
    expect(page.content).not.toContain('<form');
  });

  test('when a notice is given, then it comes first, above the final state', () => {
    const page = approvalLinkPage(APPROVED, 'deny', { notice: 'This request was already decided; your decision was not recorded.' });
    expect(page.content.startsWith('<p class="notice">This request was already decided; your decision was not recorded.</p><h1>Approved</h1>')).toBe(true);
  });

  test('when a decision was recorded, then the thanks page says "Approved — thank you" with the final state', () => {
    const approved = approvalThanksPage(APPROVED, 'approve');
    expect(approved.title).toBe('Approved — thank you');
    expect(approved.content).toContain('<h1>Approved — thank you</h1>');
    expect(textOf(approved.content)).toContain('Decided by: Ada Lovelace');

    expect(approvalThanksPage({ ...APPROVED, status: 'denied', result: 0 }, 'deny').title).toBe('Denied — thank you');
  });

  describe('XSS', () => {
    const hostile: ApprovalLinkView = { ...APPROVED, context: XSS, reviewerName: XSS, notes: XSS, decidedBy: XSS };
    const pages = {
      confirmation: approvalLinkPage({ ...hostile, status: 'pending' }, 'approve'),
      'final state': approvalLinkPage(hostile, 'approve', { notice: XSS }),
      thanks: approvalThanksPage(hostile, 'approve'),
    };

    test.each(Object.entries(pages))('when context, reviewer, notes and decider hold markup, then the %s page has none of it as markup and shows it as text', (_name, page) => {
      for (const tag of tagsOf(page.content)) {
        expect(PAGE_TAGS).toContain(tag.name);
        expect(tag.attributes).not.toMatch(/\bon\w+\s*=/i);
      }
      expect(textOf(page.content)).toContain(XSS);
    });
  });
});
