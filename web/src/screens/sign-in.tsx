/** First start (create the owner), signing in, or — on a server without browser sessions — an API token. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, errorMessage } from '../api.ts';
import { createOwner, signIn, signInWithToken } from '../session.ts';
import type { User } from '../types.ts';
import { Button, Field } from '../ui.tsx';

export function SignIn(props: { mode: 'owner' | 'session' | 'token'; onSignedIn: (user: User, via: 'session' | 'token') => void }): ReactNode {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const owner = props.mode === 'owner';

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setError(null);
    if (owner && password.length < 10) {
      setError('Choose a password of at least 10 characters.');
      return;
    }
    setBusy(true);
    const attempt =
      props.mode === 'token'
        ? signInWithToken(token).then((user) => props.onSignedIn(user, 'token'))
        : (owner ? createOwner({ email, password, ...(name.trim() === '' ? {} : { name: name.trim() }) }) : signIn(email, password)).then((user) => props.onSignedIn(user, 'session'));
    attempt
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setError(props.mode === 'token' ? 'That token is not valid. Create one with `opsloop token create <email>`.' : 'The email or password is not right. Try again.');
        else if (e instanceof ApiError && e.status === 429) setError(`Too many failed sign-ins. ${e.message}`);
        else setError(errorMessage(e));
      })
      .finally(() => setBusy(false));
  };

  return (
    <main className="center-page auth-page">
      <form className="auth-card" onSubmit={submit} noValidate>
        <div className="brand auth-brand">
          <span className="brand-mark" aria-hidden="true" />
          OpsLoop
        </div>
        <h1>{owner ? 'Welcome to OpsLoop' : 'Sign in'}</h1>
        <p className="subtitle">
          {owner
            ? 'Create the owner account. You will approve what OpsLoop prepares, and can invite your team later.'
            : props.mode === 'token'
              ? 'This server signs in with an API token. Create one on the server with `opsloop token create <your email>` and paste it here.'
              : 'AI prepares, you approve with one click.'}
        </p>
        {props.mode === 'token' ? (
          <Field label="API token">
            {(id) => <input id={id} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} required autoFocus />}
          </Field>
        ) : (
          <>
            {owner ? (
              <Field label="Your name">
                {(id) => <input id={id} type="text" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />}
              </Field>
            ) : null}
            <Field label="Email">
              {(id) => <input id={id} type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />}
            </Field>
            <Field label="Password" {...(owner ? { hint: 'At least 10 characters.' } : {})}>
              {(id, hint) => <input id={id} type="password" autoComplete={owner ? 'new-password' : 'current-password'} value={password} onChange={(e) => setPassword(e.target.value)} required aria-describedby={hint} />}
            </Field>
          </>
        )}
        {error === null ? null : (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <Button type="submit" variant="primary" busy={busy} className="wide">
          {owner ? 'Create owner and start' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
}
