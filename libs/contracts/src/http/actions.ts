import { z } from 'zod';
import { DEFAULT_LIMITS, type Limits } from '../limits';
import { plainText } from './text';

export const ACTION_KEY_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function makeActionSchemas(limits: Limits = DEFAULT_LIMITS) {
  // An input keyed "__proto__" could never be answered: answers refuse that key (see json-problems.ts).
  const key = z
    .string()
    .regex(ACTION_KEY_PATTERN, 'must be 1-64 characters of A-Z, a-z, 0-9, _ or -')
    .refine((value) => value !== '__proto__', 'must not be "__proto__"');
  const label = plainText().trim().min(1).max(limits.labelChars);
  const ButtonAction = z.object({
    type: z.literal('button'),
    label,
    key,
    style: z.enum(['default', 'primary', 'destructive']).default('default'),
  });
  const SelectOption = z.object({ label, value: plainText().min(1).max(limits.optionValueChars) });
  const SelectAction = z.object({
    type: z.literal('select'),
    label,
    key,
    options: z.array(SelectOption).min(1, 'a select needs at least one option').max(limits.selectOptions),
  });
  const TextAction = z.object({
    type: z.literal('text'),
    label,
    key,
    placeholder: plainText().max(limits.placeholderChars).optional(),
  });
  const Action = z.discriminatedUnion('type', [ButtonAction, SelectAction, TextAction]);
  const Actions = z
    .array(Action)
    .max(limits.actions)
    .superRefine((actions, ctx) => {
      const seen = new Set<string>();
      actions.forEach((action, index) => {
        if (seen.has(action.key)) {
          ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `duplicate action key "${action.key}"` });
        }
        seen.add(action.key);
      });
      const hasInputs = actions.some((a) => a.type !== 'button');
      if (hasInputs && !actions.some((a) => a.type === 'button')) {
        ctx.addIssue({ code: 'custom', path: [], message: 'select and text inputs need at least one button to submit them' });
      }
    });
  return { ButtonAction, SelectAction, TextAction, Action, Actions };
}

const defaults = makeActionSchemas();
export const Action = defaults.Action;
export type Action = z.infer<typeof Action>;
export type ButtonAction = z.infer<typeof defaults.ButtonAction>;
export type SelectAction = z.infer<typeof defaults.SelectAction>;
export type TextAction = z.infer<typeof defaults.TextAction>;
