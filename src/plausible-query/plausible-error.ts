/** The body of a Stats API v2 error answer, as Plausible sends it: `{"error": "..."}`. */
export function v2ErrorBody(message: string): { error: string } {
  return { error: message };
}
