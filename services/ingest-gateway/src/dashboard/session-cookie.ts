import { parse as parseCookies, serialize } from 'cookie';
import type { Request, Response } from 'express';

/** The dashboard's own cookies: scoped to /app, so no API route ever sees them (CONTRACT §11). */
export const SESSION_COOKIE = 'pingback_session';
/** The sign-in form's double-submit value: a form posted from elsewhere cannot know it. */
export const SIGN_IN_COOKIE = 'pingback_sign_in';
const COOKIE_PATH = '/app';

/** Secure whenever the dashboard is reached over https: the public URL says so, or the request came that way. */
const isHttps = (req: Request, publicUrl: string) => req.secure || publicUrl.startsWith('https:');

export function setCookie(res: Response, req: Request, publicUrl: string, name: string, value: string, maxAgeMs: number): void {
  res.append(
    'Set-Cookie',
    serialize(name, value, { httpOnly: true, sameSite: 'strict', secure: isHttps(req, publicUrl), path: COOKIE_PATH, maxAge: Math.floor(maxAgeMs / 1000) }),
  );
}

export function clearCookie(res: Response, req: Request, publicUrl: string, name: string): void {
  setCookie(res, req, publicUrl, name, '', 0);
}

export function cookieOf(req: Request, name: string): string | undefined {
  const value = parseCookies(req.get('cookie') ?? '')[name];
  return value && value.length <= 256 ? value : undefined;
}
