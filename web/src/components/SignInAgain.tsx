// The way back in wherever a refused session is said. A call refused because the session
// ended (expired while the laptop slept, ended on another device) can fail anywhere — a
// page's list, a dialog's save, the chat — and the sentence that says so comes with the one
// thing that helps, where the person reads it. The signed-in workspace (app/SessionGate.tsx)
// provides what it does: this device forgets the session, the address is kept, and signing
// in again comes back to the same page.
import { createContext, useContext } from 'react';

export const SignInAgainContext = createContext<(() => void) | null>(null);

/** What Sign in again does here, or null outside a signed-in workspace (no session to leave). */
export function useSignInAgain(): (() => void) | null {
  return useContext(SignInAgainContext);
}

/** "Sign in again", or nothing outside a signed-in workspace. */
export function SignInAgainButton({ small = false }: { small?: boolean }) {
  const signInAgain = useSignInAgain();
  if (!signInAgain) return null;
  return <button type="button" className={`btn btn-primary${small ? ' btn-small' : ''}`} onClick={signInAgain}>Sign in again</button>;
}
