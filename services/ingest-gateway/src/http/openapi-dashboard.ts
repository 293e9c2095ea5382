/** The dashboard's pages under /app (HTML, signed in by a session cookie). */
export function dashboardPaths() {
  return {};
}
