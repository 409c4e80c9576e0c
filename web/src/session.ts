import { signal } from './signal';

/** The signed-in user's access token, kept in localStorage so a reload stays signed in. */
export interface Session {
  token: string;
  expiresAt: number;
}

const KEY = 'footfall.session';
const ORG_KEY = 'footfall.organization';

function read(): Session | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    return value && value.expiresAt > Date.now() ? value : null;
  } catch {
    return null;
  }
}

export const session = signal<Session | null>(read());

export function signIn(token: string, expiresInSeconds: number): void {
  const value = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
  localStorage.setItem(KEY, JSON.stringify(value));
  session.set(value);
}

export function signOut(): void {
  localStorage.removeItem(KEY);
  session.set(null);
}

/** The organization last chosen in the switcher. */
export const chosenOrganization = signal<string | null>(localStorage.getItem(ORG_KEY));

export function chooseOrganization(id: string): void {
  localStorage.setItem(ORG_KEY, id);
  chosenOrganization.set(id);
}
