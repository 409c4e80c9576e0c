import { COMMON_PASSWORDS } from './common-passwords';

export const MIN_PASSWORD_LENGTH = 10;

const COMMON = new Set(COMMON_PASSWORDS.split('\n').filter((line) => line && !line.startsWith('#')));

/** Why a password may not be set (length aside, which the DTOs check), or null when it may. */
export function passwordProblem(password: string): string | null {
  if (password.trim() === '') return 'password is only whitespace';
  if (/^(.)\1*$/su.test(password)) return 'password is one repeated character';
  if (COMMON.has(password.trim().toLowerCase())) return 'password is too common; choose a less predictable one';
  return null;
}
