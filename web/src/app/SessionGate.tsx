// Signed out → the sign-in page; signed in → the caller's profile, then the workspace.
// supabase-js keeps the session in localStorage, so a reload stays signed in.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Session } from '@supabase/supabase-js';
import type { Api, SignOutScope } from '../lib/api.ts';
import type { RuntimeConfig } from '../lib/config.ts';
import { WorkspaceContext, type Workspace } from '../lib/context.ts';
import { useAsync } from '../hooks/useAsync.ts';
import { isSessionEnded } from '../lib/errors.ts';
import { ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { SignInAgainButton, SignInAgainContext } from '../components/SignInAgain.tsx';
import { SignInPage } from '../pages/SignInPage.tsx';
import { SetPasswordPage } from '../pages/SetPasswordPage.tsx';
import { ResetPasswordPage } from '../pages/ResetPasswordPage.tsx';
import { navigate, paths, usePathname } from '../lib/router.ts';
import { PreferencesProvider } from './PreferencesProvider.tsx';
import { AppShell } from './AppShell.tsx';

export function SessionGate({ api, config }: { api: Api; config: RuntimeConfig }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const pathname = usePathname();
  // The sign-in page was shown: a session now is a sign-in here (a demo person's click, or the
  // form), whose page went away with the focus on it, not a session a reload restored.
  const signingIn = useRef(false);
  if (session === null) signingIn.current = true;

  useEffect(() => {
    let alive = true;
    void api.client.auth.getSession().then(({ data }) => {
      if (alive) setSession(data.session);
    });
    const { data } = api.client.auth.onAuthStateChange((_event, next) => {
      if (alive) setSession(next);
    });
    return () => {
      alive = false;
      data.subscription.unsubscribe();
    };
  }, [api]);

  // The invite / reset link's page owns the session it brings; the reset request needs none.
  if (pathname === paths.setPassword) return <SetPasswordPage api={api} />;
  if (pathname === paths.resetPassword && !session) return <ResetPasswordPage api={api} />;
  if (session === undefined) return <main className="boot"><LoadingState label="Checking your session…" /></main>;
  if (session === null) return <SignInPage api={api} config={config} />;
  return <SignedIn api={api} config={config} userId={session.user.id} justSignedIn={signingIn.current} />;
}

function SignedIn({ api, config, userId, justSignedIn }: { api: Api; config: RuntimeConfig; userId: string; justSignedIn: boolean }) {
  const profile = useAsync(() => api.getMyProfile(), [api, userId]);
  // A sign-out that did not go through (Auth unreachable) leaves the person signed in and
  // says so, instead of an unhandled rejection in the console.
  const [signOutError, setSignOutError] = useState<unknown>(null);
  const signOut = useCallback(async (where?: SignOutScope) => {
    setSignOutError(null);
    try {
      await api.signOut(where);
      // Whoever signs in next (a shared laptop or phone) starts at their own home, not on the
      // workflow or admin page this person had open. A session that ends otherwise (expired,
      // another tab) keeps the address, so signing in again returns to the same page.
      navigate(paths.home, { replace: true });
    } catch (caught) {
      setSignOutError(caught);
    }
  }, [api]);

  // Sign in again, wherever a refused session is said (components/SignInAgain.tsx).
  const signInAgain = useCallback(async () => {
    setSignOutError(null);
    try {
      await api.signOut('ended');
    } catch (caught) {
      setSignOutError(caught);
    }
  }, [api]);
  const onSignInAgain = useCallback(() => void signInAgain(), [signInAgain]);

  const workspace = useMemo<Workspace | null>(
    () => (profile.data ? { api, config, profile: profile.data, signOut } : null),
    [api, config, profile.data, signOut],
  );

  // The server refused the session (expired, or ended elsewhere) while supabase-js still held
  // it: a sign-in prompt, not an error to retry. Signing in again ends this device's session
  // and keeps the address, so the person comes back to the page they had open.
  if (profile.error && isSessionEnded(profile.error)) {
    return (
      <SignInAgainContext.Provider value={onSignInAgain}>
        <main className="boot">
          <div className="state state-error" role="alert">
            <p className="state-title">Your session has ended</p>
            <p className="state-text">Sign in again to continue; you come back to this page.</p>
            <SignInAgainButton />
          </div>
          <InlineError error={signOutError} />
        </main>
      </SignInAgainContext.Provider>
    );
  }
  if (profile.error) {
    return (
      <main className="boot">
        <ErrorState error={profile.error} title="Your profile could not be loaded" onRetry={() => void profile.reload()} />
        <button type="button" className="btn btn-ghost" onClick={() => void signOut()}>Sign out</button>
        <InlineError error={signOutError} />
      </main>
    );
  }
  if (!workspace) return <main className="boot"><LoadingState label="Opening your workspace…" /></main>;
  return (
    <WorkspaceContext.Provider value={workspace}>
      <SignInAgainContext.Provider value={onSignInAgain}>
        <PreferencesProvider>
          {signOutError ? <div className="notice notice-warning sign-out-failed"><InlineError error={signOutError} /></div> : null}
          <AppShell focusOnOpen={justSignedIn} />
        </PreferencesProvider>
      </SignInAgainContext.Provider>
    </WorkspaceContext.Provider>
  );
}
