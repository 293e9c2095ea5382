import { AppError, validationFailedFields } from './app-error';

interface HttpErrorLike {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  errno?: unknown;
  limit?: unknown;
  encoding?: unknown;
}

/**
 * What express's body parsers (body-parser: express.json, express.urlencoded) report when a body cannot be read
 * as sent, as our codes. Every one is the client's doing, so none may become a 500.
 */
export function fromBodyParser(err: unknown): AppError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const error = err as HttpErrorLike;
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'the body is not valid JSON');
    case 'entity.too.large':
      // The limit counts the body after decompression, so a small gzip that inflates past it lands here too.
      return new AppError('payload_too_large', typeof error.limit === 'number' ? `the body must be at most ${error.limit} bytes` : 'the body is too large');
    case 'parameters.too.many':
      // A form with more fields than the parser reads (1,000 by default): too large, like a body past its byte limit.
      return new AppError('payload_too_large', 'the form has too many fields');
    case 'encoding.unsupported':
      return new AppError('unsupported_media_type', `unsupported Content-Encoding${typeof error.encoding === 'string' ? ` "${error.encoding}"` : ''}: send gzip, deflate, br or none`);
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', 'unsupported charset: send UTF-8');
    case 'request.size.invalid':
      return new AppError('invalid_json', 'the body is not as long as its Content-Length says');
    case 'request.aborted':
      return new AppError('invalid_json', 'the body ended before it was complete');
    default:
      break;
  }
  // A body that fails to decompress (zlib, brotli) reaches us as the stream's own error, given status 400.
  if (error.status === 400 && error.expose === true && typeof error.errno === 'number') {
    return new AppError('invalid_json', 'the body could not be decompressed as its Content-Encoding says');
  }
  return undefined;
}

/** The router could not percent-decode a path segment (`%E0%A4%A`, or the bytes of a lone surrogate). */
export function fromUrlDecoding(err: unknown): AppError | undefined {
  if (!(err instanceof URIError) || (err as HttpErrorLike).status !== 400) return undefined;
  return validationFailedFields([{ path: 'url', message: 'must be valid percent-encoded UTF-8' }]);
}
