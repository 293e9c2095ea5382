import type { AnswerRequest, CarriedAction } from '@pingback/contracts';
import { invalidAnswer } from './response-errors';

/**
 * An answer must name one of the message's buttons, and may fill only its select and text inputs
 * (a select only with one of its options). Inputs left out are allowed: they are optional.
 */
export function validateAnswer(actions: CarriedAction[], answer: AnswerRequest, maxTextChars: number): void {
  const button = actions.find((a) => a.type === 'button' && a.key === answer.triggered_by);
  if (!button) invalidAnswerFor('triggered_by', `"${answer.triggered_by}" is not a button of this message`);
  for (const [key, value] of Object.entries(answer.responses)) {
    const input = actions.find((a) => a.key === key && a.type !== 'button');
    if (!input) invalidAnswerFor(`responses.${key}`, `"${key}" is not an input of this message`);
    if (input.type === 'select' && !input.options?.some((o) => o.value === value)) {
      invalidAnswerFor(`responses.${key}`, `"${value}" is not an option of "${key}"`);
    }
    if (input.type === 'text' && value.length > maxTextChars) {
      invalidAnswerFor(`responses.${key}`, `must be at most ${maxTextChars} characters`);
    }
  }
}

function invalidAnswerFor(path: string, message: string): never {
  throw invalidAnswer(path, message);
}
