import { invalid } from '@hop/errors';
import { hashPassword, passwordProblems } from '../domain/password';

/** The hash of a new password, or 400 naming every rule it breaks (field `field`). */
export async function hashNewPassword(password: string, email: string, field = 'password'): Promise<string> {
  const problems = passwordProblems(password, email);
  if (problems.length) throw invalid(problems.map((message) => ({ path: field, field, message: `${field} ${message}` })));
  return hashPassword(password);
}
